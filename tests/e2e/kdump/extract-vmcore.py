#!/usr/bin/env python3
"""Copy the ELF vmcore that the capture kernel wrote to a disk image.

Usage: extract-vmcore.py DISK_IMAGE OUT [--expect-size N]

The capture kernel (capture-init.sh) writes one of two things at the start
of the disk, and nothing else (the image is a new sparse file per run, so no
older dump can be mistaken for this one):

- an ELF core file (a raw copy of /proc/vmcore): its length is the end of
  its last program header's data (or of the header table, if later);
- makedumpfile's flattened format (makedumpfile -F, here of an ELF dump):
  a 4 KiB header starting "makedumpfile", then records of a big-endian
  (offset, size) pair and size bytes of data for that offset of the dump
  file, ending with the pair (-1, -1).  The records are checked to lie on
  the disk and end properly (makedumpfile -R waits forever on a stream
  without its end record), then exactly the stream is fed to
  "makedumpfile -R OUT", which writes the ELF file.

--expect-size: the size /proc/vmcore had (a raw copy must be exactly that
long).

Prints "format=F size=N loads=N notes=N"; exits 1 with a reason otherwise.
"""

import argparse
import os
import struct
import subprocess
import sys

EHDR_FMT = "<16sHHIQQQIHHHHHH"
PHDR_FMT = "<IIQQQQQQ"
PT_LOAD, PT_NOTE = 1, 4
ET_CORE, EM_X86_64 = 4, 62
FLAT_SIGNATURE = b"makedumpfile\0"
FLAT_HEADER_SIZE = 4096
FLAT_RECORD = struct.Struct(">qq")
CHUNK = 8 << 20


def elf_extent(head, size):
    """Return (end, loads, notes) of the ELF core file starting with head."""
    if head[:4] != b"\x7fELF":
        raise ValueError("no ELF header")
    if head[4] != 2 or head[5] != 1:
        raise ValueError("not a little-endian 64-bit ELF")
    (_, e_type, e_machine, _, _, e_phoff, _, _, _, e_phentsize, e_phnum, _,
     _, _) = struct.unpack_from(EHDR_FMT, head, 0)
    if e_type != ET_CORE or e_machine != EM_X86_64:
        raise ValueError("not an x86-64 core file (e_type %d, e_machine %d)"
                         % (e_type, e_machine))
    if e_phentsize != struct.calcsize(PHDR_FMT) or not e_phnum:
        raise ValueError("bad program header table")
    table_end = e_phoff + e_phnum * e_phentsize
    if table_end > len(head):
        raise ValueError("program header table beyond %d bytes" % len(head))
    end, loads, notes = table_end, 0, 0
    for i in range(e_phnum):
        (p_type, _, p_offset, _, _, p_filesz, _, _) = struct.unpack_from(
            PHDR_FMT, head, e_phoff + i * e_phentsize)
        if p_type == PT_LOAD:
            loads += 1
        elif p_type == PT_NOTE:
            notes += 1
        end = max(end, p_offset + p_filesz)
    if end > size:
        raise ValueError("the ELF claims %d bytes, there are %d" % (end, size))
    return end, loads, notes


def copy(src, dst, length):
    src.seek(0)
    left = length
    while left:
        chunk = src.read(min(left, CHUNK))
        if not chunk:
            raise ValueError("disk image ends early")
        dst.write(chunk)
        left -= len(chunk)


def flat_length(disk, disk_size):
    """Length of the flattened stream at the disk's start, checked."""
    pos = FLAT_HEADER_SIZE
    records = 0
    while True:
        if pos + FLAT_RECORD.size > disk_size:
            raise ValueError("flattened stream runs off the disk after %d "
                             "records: the copy was cut short" % records)
        disk.seek(pos)
        offset, size = FLAT_RECORD.unpack(disk.read(FLAT_RECORD.size))
        pos += FLAT_RECORD.size
        if offset == -1 and size == -1:
            return pos, records
        if offset < 0 or size <= 0 or pos + size > disk_size:
            raise ValueError("bad flattened record %d at %d (offset %d, "
                             "size %d): the copy is incomplete or corrupt"
                             % (records, pos - FLAT_RECORD.size, offset, size))
        pos += size
        records += 1


def extract(args):
    with open(args.disk, "rb") as disk:
        disk_size = os.fstat(disk.fileno()).st_size
        head = disk.read(1 << 20)
        tmp = args.out + ".tmp"
        if head.startswith(FLAT_SIGNATURE):
            length, records = flat_length(disk, disk_size)
            fmt = "flattened(%d records, %d bytes)" % (records, length)
            if os.path.exists(tmp):
                os.unlink(tmp)
            proc = subprocess.Popen(["makedumpfile", "-R", tmp],
                                    stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT)
            try:
                copy(disk, proc.stdin, length)
                proc.stdin.close()
            except BrokenPipeError:
                pass
            output = proc.stdout.read().decode(errors="replace")
            if proc.wait() != 0:
                raise ValueError("makedumpfile -R failed:\n" + output)
            with open(tmp, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                end, loads, notes = elf_extent(f.read(1 << 20), size)
            if end != size:
                raise ValueError("makedumpfile -R wrote %d bytes, the ELF "
                                 "says %d" % (size, end))
        else:
            fmt = "elf"
            end, loads, notes = elf_extent(head, disk_size)
            with open(tmp, "wb") as out:
                copy(disk, out, end)
        if args.expect_size is not None and end != args.expect_size:
            raise ValueError("the ELF is %d bytes, /proc/vmcore had %d"
                             % (end, args.expect_size))
        os.chmod(tmp, 0o644)
        os.replace(tmp, args.out)
    return fmt, end, loads, notes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("disk")
    ap.add_argument("out")
    ap.add_argument("--expect-size", type=int)
    args = ap.parse_args()
    try:
        fmt, end, loads, notes = extract(args)
    except (OSError, ValueError) as err:
        if os.path.exists(args.out + ".tmp"):
            os.unlink(args.out + ".tmp")
        sys.exit("extract-vmcore: %s: %s" % (args.disk, err))
    print("format=%s size=%d loads=%d notes=%d" % (fmt, end, loads, notes))


if __name__ == "__main__":
    main()
