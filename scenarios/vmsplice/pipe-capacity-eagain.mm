# A pipe has PIPE_DEF_BUFFERS = 16 buffers. vmsplice() of a user page takes
# a R/O FOLL_GET reference per page (iov_iter_get_pages2() ->
# get_user_pages_fast(0)) into a pipe buffer; with the pipe full a
# non-blocking vmsplice() fails with EAGAIN (the model takes a request whole:
# nothing is added). Reading one buffer frees a slot and drops its page
# reference.
scenario pipe-capacity-eagain
doc "vmsplice into a full pipe (16 buffers) fails with EAGAIN"
ref fs/splice.c vmsplice_to_pipe(), iter_to_pipe(); include/linux/pipe_fs_i.h PIPE_DEF_BUFFERS

P0: mmap A 17 rw
P0: write A = 3
P0: refcount A[0] -> r_before
P0: vmsplice A[0:16] -> pipe p
P0: refcount A[0] -> r_spliced
P0: vmsplice A[16] -> pipe p -> full
P0: refcount A[16] -> r16
P0: read pipe p -> first
P0: refcount A[0] -> r_read
P0: vmsplice A[16] -> pipe p -> again

expect r_before == 1
expect r_spliced == 2
expect full == EAGAIN
expect r16 == 1
expect first == 3
expect r_read == 1
expect again == OK
