/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The layout contract between the model's C++ objects and the 6.12 shim's C
 * structs, for the objects gup.c reaches through a struct page (which is
 * shared memory, so they cannot be mirrored): page->pgmap (the shim reads
 * pgmap->type, gup.c passes &pgmap->ref to percpu_ref_put) and
 * page->mapping (secretmem_mapping reads mapping->a_ops).  Plain C; both
 * sides assert their offsets against it (glue.c with the shim's structs,
 * model_api.cpp with kernel::dev_pagemap and kernel::address_space).
 */
#ifndef GUPFUZZ_KERNEL612_LAYOUT612_H
#define GUPFUZZ_KERNEL612_LAYOUT612_H

#define G612_STRUCT_PAGE_SIZE 64
/* include/linux/memremap.h:125 struct dev_pagemap: percpu_ref ref (16 bytes), type */
#define G612_PGMAP_REF_OFFSET 0
#define G612_PGMAP_TYPE_OFFSET 16
/* include/linux/fs.h struct address_space as the shim lays it out: host, a_ops */
#define G612_MAPPING_HOST_OFFSET 0
#define G612_MAPPING_AOPS_OFFSET 8
/* include/linux/page-flags.h: PG_anon_exclusive = PG_owner_2 */
#define G612_PG_ANON_EXCLUSIVE 11
/* include/linux/memremap.h:57 enum memory_type */
#define G612_MEMORY_DEVICE_FS_DAX 3
#define G612_MEMORY_DEVICE_GENERIC 4

#endif /* GUPFUZZ_KERNEL612_LAYOUT612_H */
