#!/usr/bin/python3
"""Transaction payload check for smbdump --json.

usage: /usr/bin/python3 tests/smbdump/paycheck.py [-v] SMBDUMP CAPTURE...

smbdump decodes the payload of every completed transaction with the
library (find.h, ea.h, security.h) and prints it under "transaction":
{"payload": ..., "payload_error": ...} (doc/smbdump.md).  This script decodes
the same payloads again, independently of the library, from the
transaction's reassembled "parameters" and "data" (smbdump runs with
--hex-limit 0), with the rules of MS-CIFS, MS-SMB and MS-DTYP, and checks:

  1. which transactions have a payload (the subcommands and levels of the
     contract), and the request facts a response needs (the FIND
     InformationLevel and Flags, the QUERY/SET_*_INFORMATION level), tracked
     here per connection, UID, TID, PID and MID from the requests;
  2. a payload smbdump decoded whole: equal, key for key, to the one
     decoded here;
  3. a "payload_error": this decoder fails too, in the same area
     (parameters or data), and what both decoded before it is equal.

tshark (diff.py) checks the fields it decodes; this covers the rest (GEA
lists, FILE_FULL_EA_INFORMATION chains, the NAMES level, the padding and
trailing bytes, every ACE of every descriptor, multi-fragment transactions).
Exits 1 on any difference, 2 on a usage or run error.
"""
import json
import os
import struct
import subprocess
import sys

TIMEOUT = int(os.environ.get('SMBDUMP_TIMEOUT', '600'))
FLAGS2_UNICODE = 0x8000


class Bad(Exception):
    """the payload is malformed: area and what"""

    def __init__(self, area, why):
        Exception.__init__(self, why)
        self.area = area


def u16(b, o):
    return struct.unpack_from('<H', b, o)[0]


def u32(b, o):
    return struct.unpack_from('<I', b, o)[0]


def u64(b, o):
    return struct.unpack_from('<Q', b, o)[0]


def text(raw, unicode):
    """a name as smbw_str_to_utf8() converts it"""
    if not unicode:
        return raw.decode('latin-1')
    if len(raw) % 2:
        tail = raw[-1]
        raw = raw[:-1]
        s = raw.decode('utf-16-le', 'replace')
        return s if tail == 0 else s + '\ufffd'
    return raw.decode('utf-16-le', 'replace')


def nonzero(b):
    return any(b)


def need(b, end, area, why):
    if end > len(b):
        raise Bad(area, why)


# ---------------------------------------------------------------- EA lists

def ea_list(kind, v, parent, key):
    """an SMB_FEA_LIST ('fea'), SMB_GEA_LIST ('gea') or FILE_FULL_EA_INFORMATION
    chain ('full') into parent[key] (absent when the list header is bad);
    raises Bad (parent keeps what decoded before)"""
    entries = []
    out = {}
    if kind != 'full':
        need(v, 4, 'data', 'SizeOfListInBytes cut')
        size = u32(v, 0)
        if size < 4 or size > len(v):
            raise Bad('data', 'SizeOfListInBytes')
        parent[key] = out
        out['size_of_list_in_bytes'] = size
        out['entries'] = entries
        pos = 4
        smallest = 5 if kind == 'fea' else 2
        while size - pos >= smallest:
            if kind == 'fea':
                flags, nl, vl = v[pos], v[pos + 1], u16(v, pos + 2)
                name_at = pos + 4
            else:
                flags, nl, vl = 0, v[pos], 0
                name_at = pos + 1
            if name_at + nl + 1 > size:
                raise Bad('data', 'name past the list')
            if name_at + nl + 1 + vl > size:
                raise Bad('data', 'value past the list')
            if v[name_at + nl] != 0:
                raise Bad('data', 'name not terminated')
            name = text(v[name_at:name_at + nl], False)
            if kind == 'fea':
                val = v[name_at + nl + 1:name_at + nl + 1 + vl]
                entries.append({'extended_attribute_flag': flags,
                                'attribute_name_length_in_bytes': nl,
                                'attribute_value_length_in_bytes': vl,
                                'attribute_name': name, 'attribute_value': val.hex()})
            else:
                entries.append({'attribute_name_length_in_bytes': nl, 'attribute_name': name})
            pos = name_at + nl + 1 + vl
        if pos < size:
            out['trailing'] = v[pos:size].hex()
        return
    parent[key] = out
    out['entries'] = entries
    pos = 0
    if not v:
        return
    while True:
        need(v, pos + 8, 'data', 'FILE_FULL_EA_INFORMATION cut')
        neo, flags, nl, vl = u32(v, pos), v[pos + 4], v[pos + 5], u16(v, pos + 6)
        if pos + 8 + nl + 1 > len(v):
            raise Bad('data', 'EaName past the view')
        if pos + 9 + nl + vl > len(v):
            raise Bad('data', 'EaValue past the view')
        if v[pos + 8 + nl] != 0:
            raise Bad('data', 'EaName not terminated')
        used = 9 + nl + vl
        e = {'next_entry_offset': neo, 'flags': flags, 'ea_name_length': nl, 'ea_value_length': vl,
             'ea_name': text(v[pos + 8:pos + 8 + nl], False),
             'ea_value': v[pos + 9 + nl:pos + used].hex()}
        if neo == 0:
            pad = v[pos + used:]
        elif neo < used or pos + neo + 9 > len(v):
            entries.append(e)
            raise Bad('data', 'NextEntryOffset')
        else:
            pad = v[pos + used:pos + neo]
        if nonzero(pad):
            e['padding'] = pad.hex()
        entries.append(e)
        if neo == 0:
            return
        pos += neo


# ---------------------------------------------------------------- security descriptors

def sid_at(b, o, end):
    if o + 8 > end:
        raise Bad('data', 'SID cut')
    rev, n = b[o], b[o + 1]
    if rev != 1 or n > 15:
        raise Bad('data', 'SID revision or count')
    if o + 8 + 4 * n > end:
        raise Bad('data', 'SID cut')
    auth = int.from_bytes(b[o + 2:o + 8], 'big')
    s = 'S-1-%d' % auth if auth < 1 << 32 else 'S-1-0x%012X' % auth
    for i in range(n):
        s += '-%d' % u32(b, o + 8 + 4 * i)
    return s, 8 + 4 * n


def guid(b, o):
    return '%08x-%04x-%04x-%s-%s' % (u32(b, o), u16(b, o + 4), u16(b, o + 6), b[o + 8:o + 10].hex(),
                                     b[o + 10:o + 16].hex())


ACE_NAMES = ['ACCESS_ALLOWED', 'ACCESS_DENIED', 'SYSTEM_AUDIT', 'SYSTEM_ALARM',
             'ACCESS_ALLOWED_COMPOUND', 'ACCESS_ALLOWED_OBJECT', 'ACCESS_DENIED_OBJECT',
             'SYSTEM_AUDIT_OBJECT', 'SYSTEM_ALARM_OBJECT', 'ACCESS_ALLOWED_CALLBACK',
             'ACCESS_DENIED_CALLBACK', 'ACCESS_ALLOWED_CALLBACK_OBJECT',
             'ACCESS_DENIED_CALLBACK_OBJECT', 'SYSTEM_AUDIT_CALLBACK', 'SYSTEM_ALARM_CALLBACK',
             'SYSTEM_AUDIT_CALLBACK_OBJECT', 'SYSTEM_ALARM_CALLBACK_OBJECT',
             'SYSTEM_MANDATORY_LABEL', 'SYSTEM_RESOURCE_ATTRIBUTE', 'SYSTEM_SCOPED_POLICY_ID']
OBJECT_TYPES = (0x05, 0x06, 0x07, 0x08, 0x0B, 0x0C, 0x0F, 0x10)


def acl_at(b, o, end):
    if o + 8 > end:
        raise Bad('data', 'ACL cut')
    rev, sbz1, size, count, sbz2 = b[o], b[o + 1], u16(b, o + 2), u16(b, o + 4), u16(b, o + 6)
    if rev not in (2, 4) or size < 8 or o + size > end:
        raise Bad('data', 'ACL header')
    acl = {'acl_revision': rev, 'sbz1': sbz1, 'acl_size': size, 'ace_count': count, 'sbz2': sbz2}
    aces = []
    pos, stop = o + 8, o + size
    for _ in range(count):
        if pos + 4 > stop:
            raise Bad('data', 'AceCount')
        t, fl, sz = b[pos], b[pos + 1], u16(b, pos + 2)
        if sz % 4 or sz < 4 or pos + sz > stop:
            raise Bad('data', 'AceSize')
        a = {'ace_type': t}
        if t < len(ACE_NAMES):
            a['ace_type_name'] = ACE_NAMES[t] + '_ACE_TYPE'
        a.update({'ace_flags': fl, 'ace_size': sz})
        end_ace = pos + sz
        if t == 0x04 or t >= len(ACE_NAMES):
            a['body'] = b[pos + 4:end_ace].hex()
        else:
            q = pos + 4
            if end_ace < q + 4:
                raise Bad('data', 'AceSize')
            a['mask'] = u32(b, q)
            q += 4
            if t in OBJECT_TYPES:
                if end_ace < q + 4:
                    raise Bad('data', 'AceSize')
                of = u32(b, q)
                a['flags'] = of
                q += 4
                for bit, key in ((1, 'object_type'), (2, 'inherited_object_type')):
                    if of & bit:
                        if end_ace < q + 16:
                            raise Bad('data', 'AceSize')
                        a[key] = guid(b, q)
                        q += 16
            a['sid'], n = sid_at(b, q, end_ace)
            q += n
            if q < end_ace:
                a['application_data' if 0x09 <= t <= 0x10 else
                  'attribute_data' if t == 0x12 else 'padding'] = b[q:end_ace].hex()
        aces.append(a)
        pos = end_ace
    acl['aces'] = aces
    if pos < stop:
        acl['trailing'] = b[pos:stop].hex()
    return acl, (o, stop)


def sd(v):
    """a self-relative security descriptor; raises Bad"""
    if len(v) < 20:
        raise Bad('data', 'descriptor header cut')
    rev, sbz1, control = v[0], v[1], u16(v, 2)
    offs = [u32(v, 4 + 4 * i) for i in range(4)]
    if rev != 1:
        raise Bad('data', 'Revision')
    out = {'revision': rev, 'sbz1': sbz1, 'control': control, 'offset_owner': offs[0],
           'offset_group': offs[1], 'offset_sacl': offs[2], 'offset_dacl': offs[3]}
    spans = []
    parts = {}
    for i, key in enumerate(('owner_sid', 'group_sid', 'sacl', 'dacl')):
        o = offs[i]
        if o == 0:
            continue
        if o < 20 or o >= len(v):
            raise Bad('data', 'offset')
        if i < 2:
            parts[key], n = sid_at(v, o, len(v))
            span = (o, o + n)
        else:
            parts[key], span = acl_at(v, o, len(v))
        for a, z in spans:
            if span[0] < z and a < span[1]:
                raise Bad('data', 'parts overlap')
        spans.append(span)
    out.update(parts)
    return out


# ---------------------------------------------------------------- directory entries

STD = (1, 2)
NT_NAME_AT = {0x101: 64, 0x102: 68, 0x103: 12, 0x104: 94, 0x105: 80, 0x106: 104}


def find_entries(d, level, unicode, count, flags, out):
    """the entries of a FIND response's data into out; raises Bad"""
    cs = 2 if unicode else 1
    pos = 0
    if count == 0 and d:
        raise Bad('data', 'SearchCount 0 with data')
    for i in range(count):
        e = {}
        if level in STD:
            o = pos
            if flags & 4:
                need(d, o + 4, 'data', 'ResumeKey cut')
                e['resume_key'] = u32(d, o)
                o += 4
            fixed = 23 if level == 1 else 27
            need(d, o + fixed, 'data', 'entry cut')
            for k, name in enumerate(('creation', 'last_access', 'last_write')):
                e[name + '_date'] = u16(d, o + 4 * k)
                e[name + '_time'] = u16(d, o + 4 * k + 2)
            e['file_data_size'] = u32(d, o + 12)
            e['allocation_size'] = u32(d, o + 16)
            e['attributes'] = u16(d, o + 20)
            if level == 2:
                e['ea_size'] = u32(d, o + 22)
            nl = d[o + fixed - 1]
            e['file_name_length'] = nl
            at = o + fixed
            if unicode and level == 1 and at % 2:
                at += 1
            need(d, at + nl, 'data', 'FileNameLength')
            e['file_name'] = text(d[at:at + nl], unicode)
            end = at + nl + (cs if level == 1 else 1)
            end = min(end, len(d))
            last = i == count - 1
            pad = d[end:] if last else b''
            if nonzero(pad):
                e['padding'] = pad.hex()
            out.append(e)
            pos = end
            continue
        at = NT_NAME_AT[level]
        need(d, pos + at, 'data', 'entry cut')
        neo = u32(d, pos)
        e['next_entry_offset'] = neo
        e['file_index'] = u32(d, pos + 4)
        if level != 0x103:
            for k, name in enumerate(('creation_time', 'last_access_time', 'last_write_time',
                                      'last_change_time')):
                e[name] = u64(d, pos + 8 + 8 * k)
            e['end_of_file'] = u64(d, pos + 40)
            e['allocation_size'] = u64(d, pos + 48)
            e['ext_file_attributes'] = u32(d, pos + 56)
            nl = u32(d, pos + 60)
        else:
            nl = u32(d, pos + 8)
        e['file_name_length'] = nl
        if level not in (0x101, 0x103):
            e['ea_size'] = u32(d, pos + 64)
        if level in (0x104, 0x106):
            snl = d[pos + 68]
            if snl > 24:
                raise Bad('data', 'ShortNameLength')
            e['short_name_length'] = snl
            e['reserved'] = d[pos + 69]
            e['short_name'] = text(d[pos + 70:pos + 70 + snl], True)
            if nonzero(d[pos + 70 + snl:pos + 94]):
                e['short_name_pad'] = d[pos + 70 + snl:pos + 94].hex()
        if level == 0x105:
            e['reserved'] = u32(d, pos + 68)
            e['file_id'] = u64(d, pos + 72)
        if level == 0x106:
            e['reserved2'] = u16(d, pos + 94)
            e['file_id'] = u64(d, pos + 96)
        need(d, pos + at + nl, 'data', 'FileNameLength')
        raw = d[pos + at:pos + at + nl]
        if len(raw) >= cs and not any(raw[-cs:]):
            raw = raw[:-cs]                    # a terminator counted in FileNameLength
        e['file_name'] = text(raw, unicode)
        used = at + nl
        last = i == count - 1
        if last:
            pad = d[pos + used:]
        elif neo == 0:
            out.append(e)
            raise Bad('data', 'fewer entries than SearchCount')
        elif neo < used or pos + neo >= len(d):
            out.append(e)
            raise Bad('data', 'NextEntryOffset')
        else:
            pad = d[pos + used:pos + neo]
        if nonzero(pad):
            e['padding'] = pad.hex()
        out.append(e)
        pos += neo


# ---------------------------------------------------------------- the subcommands

def cstring(b, o, unicode):
    """the FileName of FIND parameters at o: (name or None, extra bytes)"""
    if o >= len(b):
        return None, b''
    if unicode:
        for k in range(o, len(b) - 1, 2):
            if b[k] == 0 and b[k + 1] == 0:
                return text(b[o:k], True), b[k + 2:]
        return text(b[o:], True), b''
    k = b.find(b'\0', o)
    if k < 0:
        return text(b[o:], False), b''
    return text(b[o:k], False), b[k + 1:]


def find_req(p, d, sub, unicode, out):
    if len(p) < 12:
        raise Bad('parameters', 'FIND parameters cut')
    name, extra = cstring(p, 12, unicode)
    if sub == 1:
        attrs, count, flags, level, storage = struct.unpack_from('<HHHHI', p, 0)
        out.update({'search_attributes': attrs, 'search_count': count, 'flags': flags,
                    'information_level': level, 'search_storage_type': storage})
    else:
        sid, count, level, key, flags = struct.unpack_from('<HHHIH', p, 0)
        out.update({'sid': sid, 'search_count': count, 'information_level': level,
                    'resume_key': key, 'flags': flags})
    if name is not None:
        out['file_name'] = name
    if extra:
        out['extra'] = extra.hex()
    if level == 3:
        ea_list('gea', d, out, 'get_extended_attribute_list')
    return level, flags


def find_rsp(p, d, sub, unicode, req, out):
    n = 10 if sub == 1 else 8
    if len(p) < n:
        raise Bad('parameters', 'FIND parameters cut')
    if sub == 1:
        sid, count, eos, eaerr, last = struct.unpack_from('<5H', p, 0)
        out['sid'] = sid
    else:
        count, eos, eaerr, last = struct.unpack_from('<4H', p, 0)
    out.update({'search_count': count, 'end_of_search': eos, 'ea_error_offset': eaerr,
                'last_name_offset': last})
    if len(p) > n:
        out['extra'] = p[n:].hex()
    if req is None:
        return
    level, flags = req
    out['request_information_level'] = level
    out['request_flags'] = flags
    if level in STD or level in NT_NAME_AT:
        out['entries'] = []
        find_entries(d, level, unicode, count, flags, out['entries'])


# ------------------------------------------- TRANS2 parameters and levels
# The layouts of MS-CIFS 2.2.6 / 2.2.8 and MS-FSCC 2.4 / 2.5, written here
# from the specifications (not from the library): (MS name, format) in
# wire order; 'Z' a NUL-terminated name to the end, ('L', n) a name of the
# byte length in field n (counted, then the name after the fixed part),
# 'R' the rest as hex, 'sN' N bytes as hex.

T = [('CreationTime', 'Q'), ('LastAccessTime', 'Q'), ('LastWriteTime', 'Q'), ('ChangeTime', 'Q')]
NT_STD = [('AllocationSize', 'Q'), ('EndOfFile', 'Q'), ('NumberOfLinks', 'I'),
       ('DeletePending', 'B'), ('Directory', 'B')]
INFO_STD = [('CreationDate', 'H'), ('CreationTime', 'H'), ('LastAccessDate', 'H'),
            ('LastAccessTime', 'H'), ('LastWriteDate', 'H'), ('LastWriteTime', 'H'),
            ('FileDataSize', 'I'), ('AllocationSize', 'I'), ('Attributes', 'H')]
NAME = [('FileNameLength', 'I'), ('FileName', ('L', 'FileNameLength'))]
EA_LIST = [('SizeOfListInBytes', 'I'), ('FEAList', 'R')]
U32 = [('Value', 'I')]
U64 = [('Value', 'Q')]

FS_LEVELS = {
    1: [('idFileSystem', 'I'), ('cSectorUnit', 'I'), ('cUnit', 'I'), ('cUnitAvailable', 'I'),
        ('cbSector', 'H')],
    2: [('ulVolSerialNbr', 'I'), ('cCharCount', 'B'), ('VolumeLabel', ('L', 'cCharCount'))],
    0x102: [('VolumeCreationTime', 'Q'), ('SerialNumber', 'I'), ('VolumeLabelSize', 'I'),
            ('SupportsObjects', 'B'), ('Reserved', 'B'), ('VolumeLabel', ('L', 'VolumeLabelSize'))],
    0x103: [('TotalAllocationUnits', 'Q'), ('TotalFreeAllocationUnits', 'Q'),
            ('SectorsPerAllocationUnit', 'I'), ('BytesPerSector', 'I')],
    0x104: [('DeviceType', 'I'), ('Characteristics', 'I')],
    0x105: [('FileSystemAttributes', 'I'), ('MaxFileNameLengthInBytes', 'I'),
            ('LengthOfFileSystemName', 'I'), ('FileSystemName', ('L', 'LengthOfFileSystemName'))],
    1006: [('FreeSpaceStartFiltering', 'Q'), ('FreeSpaceThreshold', 'Q'),
           ('FreeSpaceStopFiltering', 'Q'), ('DefaultQuotaThreshold', 'Q'),
           ('DefaultQuotaLimit', 'Q'), ('FileSystemControlFlags', 'I'), ('Padding', 'I')],
    1007: [('TotalAllocationUnits', 'Q'), ('CallerAvailableAllocationUnits', 'Q'),
           ('ActualAvailableAllocationUnits', 'Q'), ('SectorsPerAllocationUnit', 'I'),
           ('BytesPerSector', 'I')],
    1008: [('ObjectId', 's16'), ('ExtendedInfo', 's48')],
    1011: [(n, 'I') for n in ('LogicalBytesPerSector', 'PhysicalBytesPerSectorForAtomicity',
                              'PhysicalBytesPerSectorForPerformance',
                              'FileSystemEffectivePhysicalBytesPerSectorForAtomicity', 'Flags',
                              'ByteOffsetForSectorAlignment', 'ByteOffsetForPartitionAlignment')],
}
for lvl, same in ((1001, 0x102), (1003, 0x103), (1004, 0x104), (1005, 0x105)):
    FS_LEVELS[lvl] = FS_LEVELS[same]

QUERY_LEVELS = {
    1: INFO_STD, 2: INFO_STD + [('EaSize', 'I')], 3: EA_LIST, 4: EA_LIST,
    0x101: T + [('ExtFileAttributes', 'I')],
    0x102: NT_STD + [('Reserved', 'H')], 0x103: U32, 0x104: NAME, 0x108: NAME,
    0x107: T + [('ExtFileAttributes', 'I'), ('Reserved1', 'I')] + NT_STD +
           [('Reserved2', 'H'), ('EaSize', 'I')] + NAME,
    0x10B: [('CompressedFileSize', 'Q'), ('CompressionFormat', 'H'),
            ('CompressionUnitShift', 'B'), ('ChunkShift', 'B'), ('ClusterShift', 'B'),
            ('Reserved', 's3')],
    1004: T + [('ExtFileAttributes', 'I'), ('Reserved', 'I')],
    1005: NT_STD + [('Reserved', 'H')], 1006: U64, 1007: U32, 1008: U32, 1009: NAME, 1014: U64,
    1015: [('FileFullEaInformation', 'R')], 1016: U32, 1017: U32, 1021: NAME,
    0x109: 'streams', 1022: 'streams',
    1034: T + [('AllocationSize', 'Q'), ('EndOfFile', 'Q'), ('FileAttributes', 'I'),
               ('Reserved', 'I')],
    1035: [('FileAttributes', 'I'), ('ReparseTag', 'I')],
}
QUERY_LEVELS[1028] = QUERY_LEVELS[0x10B]
# smbd (and Wireshark) send FileAllInformation in SMB_QUERY_FILE_ALL_INFO's layout
QUERY_LEVELS[1018] = QUERY_LEVELS[0x107]
SET_LEVELS = {
    1: INFO_STD[:6] + [('Reserved', 'R')], 2: EA_LIST, 0x101: T + [('ExtFileAttributes', 'I'), ('Reserved', 'I')],
    0x102: [('DeletePending', 'B')], 0x103: U64, 0x104: U64,
    1004: T + [('ExtFileAttributes', 'I'), ('Reserved', 'I')],
    1010: [('ReplaceIfExists', 'B'), ('Reserved', 's3'), ('RootDirectory', 'I')] + NAME,
    1013: [('DeletePending', 'B')], 1014: U64, 1015: [('FileFullEaInformation', 'R')],
    1016: U32, 1019: U64, 1020: U64,
}
SET_LEVELS[1011] = SET_LEVELS[1010]
SET_FS_LEVELS = {1002: [('VolumeLabelLength', 'I'), ('VolumeLabel', ('L', 'VolumeLabelLength'))],
                 1006: FS_LEVELS[1006], 1008: FS_LEVELS[1008]}

PATH_REQ = [('InformationLevel', 'H'), ('Reserved', 'I'), ('FileName', 'Z')]
EA_ERR = [('EaErrorOffset', 'H')]
# subcommand -> (request parameters, response parameters, offset of the
# level, levels of the request's data, levels of the response's data,
# the request's data when no level selects it[, the response's])
T2 = {
    0: ([('Flags', 'H'), ('AccessMode', 'H'), ('Reserved1', 'H'), ('FileAttributes', 'H'),
         ('CreationTime', 'I'), ('OpenMode', 'H'), ('AllocationSize', 'I'), ('Reserved', 's10'),
         ('FileName', 'Z')],
        [('FID', 'H'), ('FileAttributes', 'H'), ('CreationTime', 'I'), ('FileDataSize', 'I'),
         ('AccessMode', 'H'), ('ResourceType', 'H'), ('NMPipeStatus', 'H'),
         ('ActionTaken', 'H'), ('Reserved', 'I'), ('ExtendedAttributeErrorOffset', 'H'),
         ('ExtendedAttributeLength', 'I')], None, None, None, EA_LIST),
    3: ([('InformationLevel', 'H')], None, 0, None, FS_LEVELS, None),
    4: ([('FID', 'H'), ('InformationLevel', 'H')], None, 2, SET_FS_LEVELS, None, None),
    5: (PATH_REQ, EA_ERR, 0, None, QUERY_LEVELS, None),
    6: (PATH_REQ, EA_ERR, 0, SET_LEVELS, None, None),
    7: ([('FID', 'H'), ('InformationLevel', 'H')], EA_ERR, 2, None, QUERY_LEVELS, None),
    8: ([('FID', 'H'), ('InformationLevel', 'H'), ('Reserved', 'R')], EA_ERR, 2, SET_LEVELS,
        None, None),
    0xD: ([('Reserved', 'I'), ('DirectoryName', 'Z')], EA_ERR, None, None, None, EA_LIST),
    # X/Open's layouts (MS-CIFS gives none); smbd refuses both
    0xB: ([('SearchAttributes', 'H'), ('ChangeCount', 'H'), ('InformationLevel', 'H'),
           ('Reserved', 'I'), ('FileName', 'Z')], None, None, None, None, None),
    0xC: ([('MonitorHandle', 'H'), ('ChangeCount', 'H'), ('Reserved', 'R')], None, None, None,
          None, None),
    # MS-DFSC 2.2.2, 2.2.4 (the referral entries stay bytes here), 2.2.5.1
    0x10: ([('MaxReferralLevel', 'H'), ('RequestFileName', 'Z')], None, None, None, None, None,
           [('PathConsumed', 'H'), ('NumberOfReferrals', 'H'), ('ReferralHeaderFlags', 'I'),
            ('Referrals', 'R')]),
    0x11: ([('RequestFileName', 'Z')], None, None, None, None,
           [('VersionNumber', 'H'), ('Size', 'H'), ('ServerType', 'H'),
            ('ReferralEntryFlags', 'H'), ('ShareName', 'Z')]),
}


def layout(b, fields, unicode, area):
    """-> the fields' values by MS name, as smbdump prints them ("fields");
    Bad when the fixed part does not fit or a name runs past the area"""
    out, pos = {}, 0
    for name, f in fields:
        if f == 'Z':
            if pos >= len(b):  # absent: nothing follows the fixed part
                return out, len(b)
            step = 2 if unicode else 1
            end = pos
            while end + step <= len(b) and b[end:end + step] != b'\0' * step:
                end += step
            if end + step > len(b):
                end = len(b)
            out[name] = text(b[pos:end], unicode)
            return out, min(len(b), end + step)
        if f == 'R':
            if pos < len(b):
                out[name] = b[pos:].hex()
            return out, len(b)
        if isinstance(f, tuple) and f[0] == 'B':  # bytes of a counted length
            n = out[f[1]]
            if n > len(b) - pos:
                raise Bad(area, '%s past the area' % f[1])
            if n:
                out[name] = b[pos:pos + n].hex()
            return out, pos + n
        if isinstance(f, tuple):
            n = out[f[1]]
            if f[0] == 'A' and unicode and pos % 2 and n:  # a pad byte, then UTF-16
                pos += 1
            if n > len(b) - pos:
                raise Bad(area, '%s past the area' % f[1])
            out[name] = text(b[pos:pos + n], unicode).split('\0')[0]  # as smbdump's JSON text
            return out, pos + n
        size = int(f[1:]) if f[0] == 's' else struct.calcsize('<' + f)
        need(b, pos + size, area, '%s cut' % name)
        out[name] = b[pos:pos + size].hex() if f[0] == 's' else struct.unpack_from('<' + f, b, pos)[0]
        pos += size
    return out, pos


STREAM = [('NextEntryOffset', 'I'), ('StreamNameLength', 'I'), ('StreamSize', 'Q'),
          ('StreamAllocationSize', 'Q'), ('StreamName', ('L', 'StreamNameLength'))]


def chain(b, fields, unicode, area, minimum=24):
    """FILE_STREAM_INFORMATION entries, chained by NextEntryOffset: their
    fields, a name met in several entries as the list of its values"""
    out, pos, used = {}, 0, 0
    while pos < len(b):
        nxt = u32(b, pos) if pos + 4 <= len(b) else 0
        if nxt and (nxt > len(b) - pos or nxt < minimum):
            raise Bad(area, 'NextEntryOffset')
        f, n = layout(b[pos:pos + nxt] if nxt else b[pos:], fields, unicode, area)
        for k, v in f.items():
            out.setdefault(k, []).append(v)
        used = pos + n
        if not nxt:
            break
        pos += nxt
    return {k: v[0] if len(v) == 1 else v for k, v in out.items()}, used



# NT_TRANSACT (MS-CIFS 2.2.7, MS-SMB 2.2.7): function -> (setup, request
# parameters, response parameters, request data chain, response data chain)
NT_CREATE_REQ = [('Flags', 'I'), ('RootDirectoryFID', 'I'), ('DesiredAccess', 'I'),
                 ('AllocationSize', 'Q'), ('ExtFileAttributes', 'I'), ('ShareAccess', 'I'),
                 ('CreateDisposition', 'I'), ('CreateOptions', 'I'),
                 ('SecurityDescriptorLength', 'I'), ('EALength', 'I'), ('NameLength', 'I'),
                 ('ImpersonationLevel', 'I'), ('SecurityFlags', 'B'), ('Name', ('A', 'NameLength'))]
NT_CREATE_RSP = [('OpLockLevel', 'B'), ('Reserved', 'B'), ('FID', 'H'), ('CreateAction', 'I'),
                 ('EAErrorOffset', 'I'), ('CreationTime', 'Q'), ('LastAccessTime', 'Q'),
                 ('LastWriteTime', 'Q'), ('LastChangeTime', 'Q'), ('ExtFileAttributes', 'I'),
                 ('AllocationSize', 'Q'), ('EndOfFile', 'Q'), ('ResourceType', 'H'),
                 ('NMPipeStatus', 'H'), ('Directory', 'B'), ('Extension', 'R')]
NOTIFY = [('NextEntryOffset', 'I'), ('Action', 'I'), ('FileNameLength', 'I'),
          ('FileName', ('L', 'FileNameLength'))]
GET_QUOTA = [('NextEntryOffset', 'I'), ('SidLength', 'I'), ('Sid', ('B', 'SidLength'))]
QUOTA = [('NextEntryOffset', 'I'), ('SidLength', 'I'), ('ChangeTime', 'Q'), ('QuotaUsed', 'Q'),
         ('QuotaThreshold', 'Q'), ('QuotaLimit', 'Q'), ('Sid', ('B', 'SidLength'))]
NT = {
    1: (None, NT_CREATE_REQ, NT_CREATE_RSP, None, None),
    2: ([('FunctionCode', 'I'), ('FID', 'H'), ('IsFctl', 'B'), ('IsFlags', 'B')], None, None,
        None, None),
    4: ([('CompletionFilter', 'I'), ('FID', 'H'), ('WatchTree', 'B'), ('Reserved', 'B')], None,
        ('chain', NOTIFY, 12), None, None),
    5: (None, [('FID', 'H'), ('RenameFlags', 'H'), ('NewName', 'Z')], None, None, None),
    7: (None, [('FID', 'H'), ('ReturnSingleEntry', 'B'), ('RestartScan', 'B'),
               ('SidListLength', 'I'), ('StartSidLength', 'I'), ('StartSidOffset', 'I')],
        [('DataLength', 'I')], (GET_QUOTA, 8), (QUOTA, 40)),
    8: (None, [('FID', 'H')], None, (QUOTA, 40), None),
}


def nt_records(t, rsp, unicode, setup, out):
    """NT_TRANSACT functions smbdump prints as the library's records: False
    when smbdump prints no payload"""
    p, d = bytes.fromhex(t['parameters']), bytes.fromhex(t['data'])
    su, reqp, rspp, reqd, rspd = NT[t['subcommand']]
    if rsp:
        su = None
    pl = rspp if rsp else reqp
    dl = rspd if rsp else reqd
    if not (su and setup) and not pl and not (dl and d):
        return False
    if su and setup:
        f, used = layout(setup, su, unicode, 'setup')
        if used < len(setup):
            f['Trailing'] = setup[used:].hex()
        out['setup'] = {'fields': f}
    if isinstance(pl, tuple):  # a chain in the parameters (NOTIFY)
        if p:
            f, used = chain(p, pl[1], unicode, 'parameters', pl[2])
            if used < len(p):
                f['Trailing'] = p[used:].hex()
            out['parameters'] = {'fields': f}
    elif pl and (p or not rsp):
        f, used = layout(p, pl, unicode, 'parameters')
        if used < len(p):
            f['Trailing'] = p[used:].hex()
        out['parameters'] = {'fields': f}
    if t['subcommand'] == 1 and not rsp:
        sdl, eal = out['parameters']['fields']['SecurityDescriptorLength'], out['parameters']['fields']['EALength']
        if sdl > len(d) or eal > len(d) - sdl:
            raise Bad('parameters', 'lengths past the data')
        if sdl:
            out['security_descriptor'] = sd(d[:sdl])
        if eal:
            ea_list('full', d[sdl:sdl + eal], out, 'extended_attributes')
    elif dl and d:
        f, used = chain(d, dl[0], unicode, 'data', dl[1])
        if used < len(d):
            f['Trailing'] = d[used:].hex()
        out['data'] = {'fields': f}
    return True



# Browser frames (MS-BRWS 2.2) in mailslot writes to \MAILSLOT\BROWSE or
# \MAILSLOT\LANMAN, by their opcode; names are OEM.
ANNOUNCE = [('Opcode', 'B'), ('UpdateCount', 'B'), ('Periodicity', 'I'), ('ServerName', 's16'),
            ('OSVersionMajor', 'B'), ('OSVersionMinor', 'B'), ('ServerType', 'I'),
            ('BrowserConfigVersionMajor', 'B'), ('BrowserConfigVersionMinor', 'B'),
            ('Signature', 'H'), ('Comment', 'Z')]
BACKUP = [('Opcode', 'B'), ('Count', 'B'), ('Token', 'I'), ('BackupServerList', 'R')]
BROWSER = {
    0x01: ANNOUNCE, 0x0C: ANNOUNCE, 0x0F: ANNOUNCE,
    0x02: [('Opcode', 'B'), ('Unused', 'B'), ('ResponseComputerName', 'Z')],
    0x08: [('Opcode', 'B'), ('Version', 'B'), ('Criteria', 'I'), ('Uptime', 'I'), ('Unused', 'I'),
           ('ServerName', 'Z')],
    0x09: BACKUP, 0x0A: BACKUP,
    0x0B: [('Opcode', 'B'), ('Name', 'Z')], 0x0D: [('Opcode', 'B'), ('Name', 'Z')],
    0x0E: [('Opcode', 'B'), ('TypeOfReset', 'B')],
}


def browser_frame(t, name, out):
    """a browser frame of a mailslot write: False when smbdump prints none"""
    d = bytes.fromhex(t['data'])
    if not name or name.upper() not in ('\\MAILSLOT\\BROWSE', '\\MAILSLOT\\LANMAN') \
            or not d or d[0] not in BROWSER:
        return False
    f, used = layout(d, BROWSER[d[0]], False, 'data')
    if used < len(d):
        f['Trailing'] = d[used:].hex()
    out['data'] = {'fields': f}
    return True


def records(t, rsp, unicode, req, out):
    """the TRANS2 subcommands whose parameters and levels smbdump prints as
    the library's records: False when smbdump prints no payload"""
    p, d = bytes.fromhex(t['parameters']), bytes.fromhex(t['data'])
    reqp, rspp, at, reqlv, rsplv, reqdata, *rest = T2[t['subcommand']]
    rspdata = rest[0] if rest else None  # data no level selects, in the response
    level = None
    if rsp:
        level = req[0] if req else None
        if level is not None and at is not None:
            out['request_information_level'] = level
    elif at is not None and len(p) >= at + 2:
        level = u16(p, at)
    pl = rspp if rsp else reqp
    lv = rsplv if rsp else reqlv
    dl = lv.get(level) if lv is not None and level is not None else (rspdata if rsp else reqdata)
    if not pl and not dl:
        return False
    if pl and (p or not rsp):
        f, used = layout(p, pl, unicode, 'parameters')
        if used < len(p):
            f['Trailing'] = p[used:].hex()
        out['parameters'] = {'fields': f}
    if not rsp and t['subcommand'] in (5, 7) and level == 3:
        ea_list('gea', d, out, 'get_extended_attribute_list')
    elif dl and d:
        f, used = chain(d, STREAM, unicode, 'data') if dl == 'streams' else layout(d, dl, unicode, 'data')
        if used < len(d):
            f['Trailing'] = d[used:].hex()
        out['data'] = {'fields': f}
        if dl is EA_LIST:
            ea_list('fea', d, out, 'extended_attribute_list')
        elif 'FileFullEaInformation' in f:
            ea_list('full', d, out, 'extended_attributes')
    return True



def expected(t, rsp, unicode, req, setup=None, name=None):
    """-> (payload dict or None, error area or None) for a transaction"""
    p, d = bytes.fromhex(t['parameters']), bytes.fromhex(t['data'])
    cmd, sub = t['command'], t.get('subcommand')
    out = {}
    try:
        if cmd == 0x32 and sub in (1, 2):
            if rsp:
                find_rsp(p, d, sub, unicode, req, out)
            else:
                find_req(p, d, sub, unicode, out)
        elif cmd == 0x32 and sub in T2:
            if not records(t, rsp, unicode, req, out):
                return None, None
        elif cmd == 0x25 and not rsp:
            if not browser_frame(t, name, out):
                return None, None
        elif cmd == 0xA0 and sub in NT:
            if not nt_records(t, rsp, unicode, setup, out):
                return None, None
        elif cmd == 0xA0 and sub in (3, 6):
            if rsp:
                if sub == 3:
                    return None, None
                if len(p) < 4:
                    raise Bad('parameters', 'LengthNeeded cut')
                out['length_needed'] = u32(p, 0)
                if len(p) > 4:
                    out['extra'] = p[4:].hex()
            else:
                if len(p) < 8:
                    raise Bad('parameters', 'parameters cut')
                out['fid'], out['reserved'], info = struct.unpack_from('<HHI', p, 0)
                out['security_info_fields' if sub == 6 else 'security_information'] = info
                if len(p) > 8:
                    out['extra'] = p[8:].hex()
            if d and (rsp or sub == 3):
                out['security_descriptor'] = sd(d)
        else:
            return None, None
    except Bad as e:
        return out, e.area
    return out, None


def prefix_equal(got, want):
    """what smbdump decoded before an error is what this decoder did: the
    keys smbdump printed hold the same values (lists: a prefix, the last
    element compared as a prefix too)"""
    if isinstance(got, dict) and isinstance(want, dict):
        return all(k in want and prefix_equal(v, want[k]) for k, v in got.items())
    if isinstance(got, list) and isinstance(want, list):
        if len(got) > len(want):
            return False
        return all(g == w for g, w in zip(got[:-1], want)) and (
            not got or prefix_equal(got[-1], want[len(got) - 1]))
    return got == want


def run(smbdump, cap):
    args = [smbdump, '--json', '--hex-limit', '0', '--port', '14450', '--port', '14451', cap]
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    if r.returncode not in (0, 1):
        raise RuntimeError('smbdump exited with %d' % r.returncode)
    return [o for o in (json.loads(line) for line in r.stdout.decode('utf-8').split('\n') if line)
            if 'nbdgm' not in o]  # NetBIOS datagrams: dgramcheck.py


def request_facts(t, unicode):
    """the level (and FIND Flags) a response will need, from a request"""
    p = bytes.fromhex(t['parameters'])
    sub = t.get('subcommand')
    if t['command'] != 0x32:
        return None
    if sub == 1 and len(p) >= 12:
        return u16(p, 6), u16(p, 4)
    if sub == 2 and len(p) >= 12:
        return u16(p, 4), u16(p, 10)
    if sub in T2 and T2[sub][2] is not None and len(p) >= T2[sub][2] + 2:
        return u16(p, T2[sub][2]), 0
    return None


def check(base, objs, verbose):
    bad = []
    n = nerr = 0
    reqs = {}
    setups = {}  # the setup words of the primary requests, by their IDs
    names = {}   # the Names of the TRANSACTION requests
    for o in objs:
        s = o.get('smb')
        if s and not s['response']:
            for b in s.get('chain', []):
                key = (o.get('stream'), s['uid'], s['tid'], s['pid'], s['mid'])
                if b.get('command') in (0x32, 0xA0) and 'setup' in b.get('fields', {}):
                    setups[key] = b''.join(struct.pack('<H', w) for w in b['fields']['setup'])
                if b.get('command') == 0x25 and 'name' in b.get('fields', {}):
                    names[key] = b['fields']['name']
        t = o.get('transaction')
        if not t or not s:
            continue
        fr = o['frame']
        rsp = s['response']
        unicode = bool(s['flags2'] & FLAGS2_UNICODE)
        key = (o['stream'], s['uid'], s['tid'], s['pid'], s['mid'])
        req = None
        if not rsp:
            reqs[key] = request_facts(t, unicode)
        else:
            req = reqs.pop(key, None)
        want, area = expected(t, rsp, unicode, req, None if rsp else setups.get(key, b'')[:16],
                              names.get(key))
        got = t.get('payload')
        if isinstance(got, dict):  # records: their fields (diff.py checks the Wireshark names)
            got = {k: ({'fields': v['fields']} if isinstance(v, dict) and 'record' in v else v)
                   for k, v in got.items()}
        pe = t.get('payload_error')
        if want is None:
            if got is not None or pe is not None:
                bad.append('%s frame %d: a payload where none is expected' % (base, fr))
            continue
        n += 1
        if area:
            nerr += 1
            if pe is None:
                bad.append('%s frame %d: smbdump decoded a payload this decoder refuses (%s)'
                           % (base, fr, area))
            elif pe['area'] != area:
                bad.append('%s frame %d: payload_error in %s, expected in %s' % (base, fr, pe['area'], area))
            elif got is not None and not prefix_equal(got, want):
                bad.append('%s frame %d: what decoded before the error differs:\n  smbdump %.600s\n  here    %.600s'
                           % (base, fr, json.dumps(got), json.dumps(want)))
            continue
        if pe is not None:
            bad.append('%s frame %d: smbdump refuses a payload this decoder reads: %s' % (base, fr, pe))
        elif got != want:
            diff = [k for k in set(got or {}) | set(want) if (got or {}).get(k) != want.get(k)]
            bad.append('%s frame %d: payload differs in %s:\n  smbdump %.600s\n  here    %.600s'
                       % (base, fr, ','.join(sorted(diff)), json.dumps({k: (got or {}).get(k) for k in diff}),
                          json.dumps({k: want.get(k) for k in diff})))
    if verbose or n:
        print('%-40s %6d payloads checked (%d malformed)' % (base, n, nerr))
    return bad, n, nerr


def main():
    args = sys.argv[1:]
    verbose = False
    if args and args[0] == '-v':
        verbose = True
        args = args[1:]
    if len(args) < 1:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    smbdump, caps = args[0], args[1:]
    if not os.access(smbdump, os.X_OK):
        print('%s: not an executable' % smbdump, file=sys.stderr)
        sys.exit(2)
    bad = []
    total = errs = 0
    for cap in caps:
        base = os.path.splitext(os.path.basename(cap))[0]
        try:
            objs = run(smbdump, cap)
        except (RuntimeError, ValueError, subprocess.TimeoutExpired) as e:
            bad.append('%s: %s' % (base, e))
            continue
        b, n, ne = check(base, objs, verbose)
        bad += b
        total += n
        errs += ne
    for b in bad:
        print('FAIL ' + b)
    print('payloads: %d captures, %d payloads decoded again and equal (%d malformed, refused by both), '
          '%d failures' % (len(caps), total - len(bad), errs, len(bad)))
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
