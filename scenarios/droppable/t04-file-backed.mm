# droppable.md §11 T04, §2.2 step 7. With a file (here a memfd) do_mmap()
# takes the file path, whose switch only accepts MAP_SHARED,
# MAP_SHARED_VALIDATE and MAP_PRIVATE: type 0x08 -> EINVAL. (A regular
# file or /dev/zero fail the same way; the EBADF of fd=-1 without
# MAP_ANONYMOUS is not expressible: every model mapping is anonymous or a
# memfd.)
scenario droppable-file-backed
doc "MAP_DROPPABLE of a file (memfd): EINVAL"
ref droppable.md §11 T04, §2.2; do_mmap() file path

P0: memfd F 1
P0: fallocate F
P0: mmap M 1 rw file F droppable -> r

expect r == EINVAL
