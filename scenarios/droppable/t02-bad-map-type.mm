# droppable.md §11 T02, §2.1. MAP_DROPPABLE (0x08) is a value of the MAP_TYPE
# field, not a bit: MAP_DROPPABLE|MAP_SHARED is type 0x09, which the
# anonymous switch of do_mmap() does not know -> "default: return -EINVAL".
# Before 6.11 type 0x08 itself is unknown, so EINVAL in every profile.
# (MAP_DROPPABLE|MAP_PRIVATE 0x0a and |MAP_SHARED_VALIDATE 0x0b fail the same
# way; the scenario language has no way to spell them separately.)
scenario droppable-bad-map-type
doc "MAP_DROPPABLE|MAP_SHARED is an unknown MAP_TYPE: EINVAL"
ref droppable.md §11 T02, §2.1; do_mmap() "switch (flags & MAP_TYPE)"

P0: mmap S 1 rw shared droppable -> r

expect r == EINVAL
