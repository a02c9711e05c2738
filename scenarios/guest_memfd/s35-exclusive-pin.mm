# S35 (model of the 2024 RFC "mm/gup: Introduce exclusive GUP pinning",
# never merged): FOLL_PIN|FOLL_EXCLUSIVE succeeds only if the page has no
# pin of any kind (page_ref_setexc(): refcount < GUP_PIN_COUNTING_BIAS);
# while held, every new FOLL_PIN fails with -EBUSY (try_grab_folio()), but
# FOLL_GET and plain references are unaffected; after the exclusive unpin
# plain pins work again. Without the RFC (gmem-pin=plain, every kernel)
# FOLL_EXCLUSIVE is an unknown flag: EINVAL.
scenario s35-exclusive-pin
doc "exclusive pin: fails with another pin, then blocks new pins (EBUSY), leaves FOLL_GET alone"
ref 20240618-exclusive-gup-v1-0-30472a19c5d1@quicinc.com; spec guest-memfd.md §2.1, §5 S35

P0: mmap A 1 rw shared
P0: write A[0] = 1
P0: pin K1 = A[0] write
P0: pin X1 = A[0] write exclusive -> excl_with_pin
P0: unpin K1
P0: pin X2 = A[0] write exclusive -> excl_alone
P0: pin K2 = A[0] write -> pin_while_excl
P0: gup G1 = A[0] -> get_while_excl
P0: vmsplice A[0] -> pipe p -> splice_while_excl
P0: pincount A[0] -> pins
P0: unpin X2 -> unexc
P0: pin K3 = A[0] write -> pin_after

expect excl_with_pin == EINVAL
expect excl_alone == EINVAL
expect pin_while_excl == OK
expect get_while_excl == OK
expect splice_while_excl == OK
expect pins == 1
expect unexc == EINVAL               # X2 was never taken
expect pin_after == OK
expect[gmem-pin=exclusive] excl_with_pin == EBUSY
expect[gmem-pin=exclusive] excl_alone == OK
expect[gmem-pin=exclusive] pin_while_excl == EBUSY
expect[gmem-pin=exclusive] pins == 1
expect[gmem-pin=exclusive] unexc == OK
