#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace mmsim {

struct Tok {
  enum class Kind { Word, String, Punct, End };
  Kind kind = Kind::End;
  std::string text;
  int col = 0;  // 1-based
};

// Split one line into tokens. Words are runs of [A-Za-z0-9_.+-] (so names like
// linux-5.7 or vmsplice-leak are one word; "->" is never part of a word);
// punctuation is : [ ] = == != , ->; strings are "..."; '#' starts a comment.
// On a lexical error returns false with *err_col/*err set.
bool lex_line(std::string_view line, std::vector<Tok>* out, int* err_col, std::string* err);

}  // namespace mmsim
