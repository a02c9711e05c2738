# Written from host observations (Linux 6.18, ext4).
scenario odirect-write-exclusive
doc "O_DIRECT write() from an exclusive page and from an untouched one: nothing moves; the file reads back the token and zeros"
ref cow-gup.md §9.3
P0: mmap A 2 rw
P0: write A[0] = 0x33
P0: pfn A[0] -> p0
P0: odirect_write A -> file F
P0: pfn A[0] -> p1
P0: present A[1] -> pr1
P0: mmap B 2 rw
P0: odirect_read B <- file F
P0: read B -> b0, b1
P0: pfn B[0] -> q0
P0: exclusive B[0] -> qex
expect p1 == p0
expect pr1 == true                  # the R/O GUP faulted the zero page in
expect b0 == 0x33
expect b1 == 0
expect qex == true
