# droppable.md §11 T01, §2.2 step 8, §2.3, §3.1. do_mmap(), case
# MAP_DROPPABLE: "vm_flags |= VM_DROPPABLE | VM_NORESERVE | VM_WIPEONFORK |
# VM_DONTDUMP" and nothing else (no VM_ACCOUNT). The smaps VmFlags text
# itself ("rd wr mr mw me nr wf dd dp", no "ac") is not a model observable;
# what the flags *do* is:
# - folio_add_new_anon_rmap() leaves the folio !PG_swapbacked: it sits on
#   the file LRU as a lazyfree folio (probe lazyfree);
# - VM_WIPEONFORK: the fork child's range is empty and reads 0;
# - WIPEONFORK and DONTDUMP are immutable: MADV_KEEPONFORK and MADV_DODUMP
#   give EINVAL (madvise_vma_behavior(): "if (vma->vm_flags & VM_DROPPABLE)
#   return -EINVAL");
# - no VM_LOCKED: locked_vm stays 0.
# Alternatives: refill has the child's read filled by the ->fault callback;
# pinned makes the mapping VM_LOCKED (charged to locked_vm) and its folios
# ordinary swap-backed anon.
scenario droppable-implied-flags
doc "MAP_DROPPABLE implies DROPPABLE|NORESERVE|WIPEONFORK|DONTDUMP: lazyfree folios, wiped at fork, immutable"
ref droppable.md §11 T01, §2.2, §2.3; do_mmap(), folio_add_new_anon_rmap(), madvise_vma_behavior()

P0: mmap D 2 rw droppable refill 7
P0: write D[0] = 0xaa
P0: lazyfree D[0] -> lf
P0: locked_vm -> lv
P0: madvise D keeponfork -> kof
P0: madvise D dodump -> dd
P0: fork P1
P1: read D[0] -> child
P1: present D[1] -> child_present

expect lf == true                   # !PG_swapbacked: the droppable property lives on the folio
expect lv == 0
expect kof == EINVAL
expect dd == EINVAL
expect child == 0                   # VM_WIPEONFORK
expect child_present == false
expect[droppable=refill] child == 7      # the ->fault callback fills the child's page
expect[droppable=pinned] lf == false     # mlocked ordinary anon
expect[droppable=pinned] lv == 2
