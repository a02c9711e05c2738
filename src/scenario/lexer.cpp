#include "scenario/lexer.hpp"

#include <cctype>

namespace mmsim {
namespace {
bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '+' || c == '-'; }
}  // namespace

bool lex_line(std::string_view line, std::vector<Tok>* out, int* err_col, std::string* err) {
  out->clear();
  size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == '#') break;
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    const int col = int(i) + 1;
    if (c == '"') {
      std::string s;
      size_t j = i + 1;
      while (j < line.size() && line[j] != '"') {
        if (line[j] == '\\' && j + 1 < line.size()) ++j;
        s += line[j++];
      }
      if (j >= line.size()) {
        *err_col = col;
        *err = "unterminated string (expected a closing '\"')";
        return false;
      }
      out->push_back({Tok::Kind::String, s, col});
      i = j + 1;
      continue;
    }
    if (line.substr(i, 2) == "->" || line.substr(i, 2) == "<-" || line.substr(i, 2) == "==" || line.substr(i, 2) == "!=") {
      out->push_back({Tok::Kind::Punct, std::string(line.substr(i, 2)), col});
      i += 2;
      continue;
    }
    if (c == ':' || c == '[' || c == ']' || c == '=' || c == ',') {
      out->push_back({Tok::Kind::Punct, std::string(1, c), col});
      ++i;
      continue;
    }
    if (word_char(c)) {
      size_t j = i;
      while (j < line.size() && word_char(line[j]) && line.substr(j, 2) != "->") ++j;
      out->push_back({Tok::Kind::Word, std::string(line.substr(i, j - i)), col});
      i = j;
      continue;
    }
    *err_col = col;
    *err = std::string("unexpected character '") + c + "'";
    return false;
  }
  out->push_back({Tok::Kind::End, "", int(line.size()) + 1});
  return true;
}

}  // namespace mmsim
