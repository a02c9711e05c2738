# A device can only write through a pin taken with FOLL_WRITE. A R/O pin
# (pin_user_pages() without FOLL_WRITE) is mapped read-only for the device
# (e.g. an IOMMU mapping with DMA_TO_DEVICE); the model reports a DMA write
# through it as EFAULT and the page is unchanged. A R/W pin accepts the
# write and the CPU sees it (same page).
scenario dma-write-through-ro-pin-efault
doc "DMA writes need a FOLL_WRITE pin: through a R/O pin they fail with EFAULT"
ref cow-gup.md §2.6; Documentation/core-api/pin_user_pages.rst

P0: mmap A 2 rw
P0: write A = 1
P0: pin R = A[0]
P0: pin W = A[1] write
dma write R[0] = 2 -> e
dma write W[0] = 3 -> ok
dma read R[0] -> rv
P0: read A -> v0, v1

expect e == EFAULT
expect ok == OK
expect rv == 1
expect v0 == 1
expect v1 == 3
