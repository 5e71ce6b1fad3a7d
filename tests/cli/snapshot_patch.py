#!/usr/bin/env python3
# snapshot_patch.py - change one value in one section of a kgraph snapshot,
# for tests of damaged snapshots (tests/cli/lazy_damage.sh). Only the
# section is changed, not its checksum, which opening without --verify
# does not read:
#
#   python3 snapshot_patch.py FILE SECTION INDEX u32=VALUE   (32-bit word INDEX)
#   python3 snapshot_patch.py FILE SECTION INDEX BYTE        (byte INDEX)
#   python3 snapshot_patch.py FILE SECTION find=TEXT BYTE    (the NUL after TEXT)
import struct, sys
path, section, where, value = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
data = bytearray(open(path, 'rb').read())
# The header is 48 bytes; then a 32-byte entry per section: id, record
# size, offset, length, checksum (docs/snapshot.md).
sid, elem, off, length, h = struct.unpack_from('<IIQQQ', data, 48 + 32 * section)
assert sid == section
if where.startswith('find='):
    text = where[5:].encode() + b'\0'
    index = data.index(text, off, off + length) - off + len(text) - 1
else:
    index = int(where, 0)
if value.startswith('u32='):
    if index * 4 + 4 > length:
        sys.exit('%s: section %d has no word %d' % (path, section, index))
    struct.pack_into('<I', data, off + 4 * index, int(value[4:], 0))
else:
    if index >= length:
        sys.exit('%s: section %d has no byte %d' % (path, section, index))
    data[off + index] = int(value, 0)
open(path, 'wb').write(data)
