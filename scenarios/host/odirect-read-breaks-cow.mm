# Written from host observations (Linux 6.18, ext4): an O_DIRECT read() into
# a COW-shared page breaks COW in the reader first, in every era.
scenario odirect-read-breaks-cow
doc "O_DIRECT read() into a COW-shared page: FOLL_WRITE breaks COW in the reader; the child keeps its data"
ref cow-gup.md §9.3; block/bio.c bio_iov_iter_get_pages()
P0: mmap S 1 rw
P0: write S[0] = 0x22
P0: odirect_write S[0] -> file F
P0: mmap A 1 rw
P0: write A[0] = 0x11
P0: pfn A[0] -> p0
P0: fork P1
P0: odirect_read A[0] <- file F -> r
P0: pfn A[0] -> p1
P0: exclusive A[0] -> ex
P0: read A[0] -> mine
P1: read A[0] -> childs
P1: pfn A[0] -> c1
expect r == OK
expect p1 != p0
expect ex == true
expect c1 == p0
expect mine == 0x22
expect childs == 0x11
