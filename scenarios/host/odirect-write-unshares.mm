# Written from host observations (Linux 6.18, ext4): an O_DIRECT write()
# from a COW-shared anonymous page gives the writer its own copy.
scenario odirect-write-unshares
doc "O_DIRECT write() from a COW-shared page: the R/O FOLL_PIN (6.5+) unshares it in the writer; the file gets the data"
ref cow-gup.md §7.8, §9.3; b7c96963925f "block: Convert bio_iov_iter_get_pages to use iov_iter_extract_pages" (6.5)
P0: mmap A 1 rw
P0: write A[0] = 0x11
P0: pfn A[0] -> p0
P0: fork P1
P0: exclusive A[0] -> ex_before
P0: odirect_write A[0] -> file F -> w
P0: pfn A[0] -> p1
P0: exclusive A[0] -> ex_after
P1: pfn A[0] -> c1
P1: exclusive A[0] -> c_ex
P0: mmap B 1 rw
P0: odirect_read B[0] <- file F
P0: read B[0] -> data
expect w == OK
expect ex_before == false
expect p1 != p0                     # gup_must_unshare(): FAULT_FLAG_UNSHARE copied the page for the writer
expect ex_after == true
expect c1 == p0                     # the child keeps the original
expect c_ex == true                 # ... now mapped once
expect data == 0x11                 # the file holds what the writer had
# <= 6.4 O_DIRECT took FOLL_GET references: nothing unshares (5.8's forced COW break aside)
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] p1 == p0
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] ex_after == false
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] c_ex == false
