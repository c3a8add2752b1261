#!/usr/bin/python3
"""Differential test: smbdump --json against tshark, message by message.

usage: /usr/bin/python3 tests/smbdump/diff.py [--known FILE] [-q] [--fields] SMBDUMP VECDIR CAPTURE...

For every CAPTURE, VECDIR/<base>.vec holds tshark's fields for every NBSS
packet of the capture (tests/golden/extract.py --out VECDIR CAPTURE; format in
tests/golden/README.md).  smbdump --json runs on the capture (with --port for
the server ports the .vec header names) and each of its objects is matched to
the .vec message of the same frame (the k-th of that frame to the k-th).

Compared, per message, whenever tshark shows the field:
  - the direction, the TCP stream (against tshark's tcp.stream), the NBSS
    type and length, the session request names and the negative response code;
  - the SMB header: the chain's command list (smb.cmd: the header command,
    then the AndXCommand of every AndX block), response flag, status
    (smb.nt_status, or smb.error_class / smb.error_code), flags, flags2, pid
    (smb.pid + smb.pid.high), uid, tid, mid, signature;
  - per block: smb.wct, smb.bcc, smb.andxoffset;
  - the typed fields of NEGOTIATE, SESSION_SETUP_ANDX, TREE_CONNECT_ANDX,
    OPEN_ANDX and READ_ANDX, mapped to tshark's names below (the same mapping
    as tests/dissect.c, plus a few more);
  - the fields of the six transaction commands (TRANSACTION, TRANSACTION2,
    NT_TRANSACT and their secondaries, requests and responses): smb.tpc,
    smb.tdc, smb.mpc, smb.mdc, smb.msc, smb.transaction.flags, smb.timeout,
    smb.pc, smb.po, smb.pd, smb.dc, smb.data_offset, smb.data_disp, smb.sc,
    smb.nt.function, smb.trans2.cmd, smb.trans_name, smb.fid (of
    TRANS2_SECONDARY), and the parameter and data bytes of a TRANSACTION
    where tshark shows them raw (smb.trans_data.parameters, smb.trans_data);
    smbdump runs with --hex-limit 0 so that these are whole.  tshark decodes
    the subcommands' own parameters with names of their own, some shared
    (smb.fid, smb.file, ...): extra trailing values are tolerated there as
    for untyped blocks.  Their agreement is also reported apart.
  - the decoded transaction payloads ("transaction": {"payload": ...}, see
    doc/smbdump.md) of the message completing a transaction, where tshark
    decodes them in the same message: FIND_FIRST2 / FIND_NEXT2 parameters and
    directory entries (smb.search_count, smb.ff2_loi, smb.file,
    smb.end_of_file, smb.create.time, ...), EA lists (smb.ea.*), the
    information levels of QUERY/SET_*_INFORMATION (smb.qpi_loi,
    smb.spi_loi), the NT_TRANSACT_CREATE lengths and the
    QUERY/SET_SECURITY_DESC parameters (smb.sec_desc_len, smb.nt_qsd, smb.fid),
    and the security descriptors (nt.sid, nt.ace.type, nt.access_mask, ...:
    tshark's nt.* fields are not in the .vec files, so they are read with one
    more tshark run per capture that has descriptors).  A transaction
    reassembled from several messages is usually decoded by tshark (4.0,
    one pass) in none or another of them: such payloads are counted, not
    compared.  Names tshark shows with non-ASCII characters replaced (U+FFFD
    or '?') match any character from U+0080 on.  Every "payload_error"
    counts as a disagreement unless listed (what = its SMBW_E_* code).
    Their agreement is reported apart.
A field that occurs several times in a message (per block) is compared as the
'|'-joined list, as the .vec stores it.  Two tshark habits are tolerated, as in
tests/test_golden.c: the OPEN_ANDX response's smb.file_attribute prefixed with
the request's value (tshark copies it), and extra trailing values of a name
that tshark also uses inside blocks smbwire has no typed decoder for.  OEM
bytes >= 0x80 that tshark shows as U+FFFD match any character U+0080..U+00FF.

smbdump recognises SMB by its bytes on any port; tshark decodes NBSS only on
139, 445 and the ports the .vec names (extract.py's decode-as), which are
the ports smbdump gets too.  Messages smbdump prints on TCP connections on
none of those ports (tshark's tcp.srcport/tcp.dstport) are counted apart
and not compared; on those ports an extra message is a disagreement.

Disagreements listed in tests/known-differences.txt and
tests/smbdump/known-differences.txt (the payloads'; --known FILE, repeatable,
replaces them) ("capture frame what", what = tshark field or the SMBW_E_*
error of a message or payload we reject; frame * for every frame) are counted
apart; entries of the payload list that a run over their capture did not use
are reported as stale (and fail).  Exits 1 on any unlisted disagreement, 2 on
a usage or run error.
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_KNOWN = [os.path.join(HERE, '..', 'known-differences.txt'),
                 os.path.join(HERE, 'known-differences.txt')]
PAYLOAD_KNOWN = os.path.join(HERE, 'known-differences.txt')
TSHARK = os.environ.get('TSHARK', 'tshark')
TIMEOUT = int(os.environ.get('SMBDUMP_TIMEOUT', '600'))


def esc(s):
    """text as the .vec writes it"""
    return (s.replace('\\', '\\\\').replace('\n', '\\n').replace('\r', '\\r')
            .replace('\t', '\\t').replace('|', '\\|'))


def split_values(v):
    """'|'-joined .vec value -> list (\\| is a literal bar)"""
    out, cur, i = [], [], 0
    while i < len(v):
        c = v[i]
        if c == '\\' and i + 1 < len(v):
            cur.append(v[i:i + 2])
            i += 2
            continue
        if c == '|':
            out.append(''.join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append(''.join(cur))
    return out


def oem_equal(ours, theirs):
    """tshark shows OEM bytes >= 0x80 as U+FFFD; we show them as Latin-1"""
    if len(ours) != len(theirs):
        return False
    for a, b in zip(ours, theirs):
        if a != b and not (b == '\ufffd' and 0x80 <= ord(a) <= 0xFF):
            return False
    return True


def lossy_equal(ours, theirs):
    """tshark 4.0 shows the non-ASCII characters of names inside transaction
    payloads as U+FFFD (Latin-1 range) or '?' (others), one per character"""
    if len(ours) != len(theirs):
        return False
    for a, b in zip(ours, theirs):
        if a != b and not (b in ('\ufffd', '?') and ord(a) >= 0x80):
            return False
    return True


class Fields:
    """tshark field name -> list of our values (strings), in wire order"""

    def __init__(self):
        self.d = {}
        self.text = set()
        self.loose = set()  # names whose tshark values may hold others around ours

    def put(self, name, value):
        self.d.setdefault(name, []).append(str(value))

    def puts(self, name, value):
        if value is None:
            return
        self.d.setdefault(name, []).append(esc(value))
        self.text.add(name)

    def puthex(self, name, value):
        if value is None:
            return
        self.d.setdefault(name, []).append(value)


def map_block(b, rsp, F):
    """one chain entry -> tshark fields"""
    c = b['command']
    f = b.get('fields', {})
    if c == 0x72:
        if not rsp:
            for d in f.get('dialects', []):
                F.put('smb.buffer_format', 2)
                F.puts('smb.dialect', d)
                F.puts('smb.dialect.name', d)
            return
        if b['wct'] == 0:
            return
        F.put('smb.dialect.index', f['dialect_index'])
        if b['wct'] == 1:
            return
        F.put('smb.sm', f['security_mode'])
        F.put('smb.max_mpx_count', f['max_mpx_count'])
        F.put('smb.max_vcs', f['max_number_vcs'])
        F.put('smb.max_bufsize', f['max_buffer_size'])
        F.put('smb.session_key', f['session_key'])
        if b['wct'] == 17:
            F.put('smb.max_raw_buf', f['max_raw_size'])
            F.put('smb.server_cap', f['capabilities'])
            F.put('smb.system.time', f['system_time'])
            F.put('smb.challenge_length', f['challenge_length'])
            F.puthex('smb.challenge', f.get('challenge'))
            F.puts('smb.primary_domain', f.get('domain_name'))
            F.puts('smb.server', f.get('server_name'))
            F.puthex('smb.server_guid', f.get('server_guid'))
            if f.get('security_blob'):
                F.puthex('smb.security_blob', f['security_blob'])
        else:
            F.put('smb.rm', f['raw_mode'])
            F.put('smb.server_date_time', f['server_time'] | (f['server_date'] << 16))
            F.put('smb.server_date_time.smb_time', f['server_time'])
            F.put('smb.server_date_time.smb_date', f['server_date'])
            F.put('smb.challenge_length', f['encryption_key_length'])
            F.puthex('smb.challenge', f.get('encryption_key'))
            F.puts('smb.primary_domain', f.get('primary_domain'))
        F.put('smb.server_timezone', f['server_time_zone'])
    elif c == 0x73:
        if not rsp:
            F.put('smb.max_buf', f['max_buffer_size'])
            F.put('smb.max_mpx_count', f['max_mpx_count'])
            F.put('smb.vc', f['vc_number'])
            F.put('smb.session_key', f['session_key'])
            if b['wct'] == 13:
                F.put('smb.ansi_pwlen', f['oem_password_length'])
                F.put('smb.unicode_pwlen', f['unicode_password_length'])
                if f['oem_password_length']:
                    F.puthex('smb.ansi_password', f.get('oem_password'))
                if f['unicode_password_length']:
                    F.puthex('smb.unicode_password', f.get('unicode_password'))
                F.put('smb.server_cap', f['capabilities'])
            elif b['wct'] == 10:
                F.put('smb.pwlen', f['password_length'])
                if f['password_length']:
                    F.puthex('smb.password', f.get('account_password'))
            else:
                F.put('smb.security_blob_len', f['security_blob_length'])
                if f['security_blob_length']:
                    F.puthex('smb.security_blob', f.get('security_blob'))
                F.put('smb.server_cap', f['capabilities'])
            F.puts('smb.account', f.get('account_name'))
            F.puts('smb.primary_domain', f.get('primary_domain'))
            F.puts('smb.native_os', f.get('native_os'))
            F.puts('smb.native_lanman', f.get('native_lan_man'))
        else:
            if b['wct'] == 0:
                return
            F.put('smb.setup.action', f['action'])
            if b['wct'] == 4:
                F.put('smb.security_blob_len', f['security_blob_length'])
                if f['security_blob_length']:
                    F.puthex('smb.security_blob', f.get('security_blob'))
            F.puts('smb.native_os', f.get('native_os'))
            F.puts('smb.native_lanman', f.get('native_lan_man'))
            F.puts('smb.primary_domain', f.get('primary_domain'))
    elif c == 0x75:
        if not rsp:
            F.put('smb.connect.flags', f['flags'])
            F.put('smb.pwlen', f['password_length'])
            if f['password_length']:
                F.puthex('smb.password', f.get('password'))
            F.puts('smb.path', f.get('path'))
            F.puts('smb.service', f.get('service'))
        else:
            if b['wct'] == 0:
                return
            if b['wct'] >= 3:
                F.put('smb.connect.support', f['optional_support'])
            if b['wct'] == 7:
                F.put('smb.access_mask', f['maximal_share_access_rights'])
                F.put('smb.access_mask', f['guest_maximal_share_access_rights'])
            F.puts('smb.service', f.get('service'))
            F.puts('smb.native_fs', f.get('native_file_system'))
    elif c == 0x2D:
        if not rsp:
            F.put('smb.open.flags', f['flags'])
            F.put('smb.access.desired', f['access_mode'])
            F.put('smb.search.attribute', f['search_attrs'])
            F.put('smb.file_attribute', f['file_attrs'])
            F.put('smb.create.time', f['creation_time'])
            F.put('smb.open.function', f['open_mode'])
            F.put('smb.alloc_size', f['allocation_size'])
            F.put('smb.timeout', f['timeout'])
            F.puts('smb.file', f.get('file_name'))
        else:
            if b['wct'] == 0:
                return
            F.put('smb.fid', f['fid'])
            F.put('smb.file_attribute', f['file_attrs'])
            F.put('smb.last_write.time', f['last_write_time'])
            F.put('smb.file_size', f['file_data_size'])
            F.put('smb.access.granted', f['access_rights'])
            F.put('smb.file_type', f['resource_type'])
            F.put('smb.ipc_state', f['nm_pipe_status'])
            F.put('smb.open.action', f['open_results'])
            F.put('smb.server_fid', f['server_fid'])
    elif c in TRANS_CMDS:
        map_trans(b, rsp, F)
    elif c == 0x2E:
        if not rsp:
            F.put('smb.fid', f['fid'])
            F.put('smb.offset', f['offset'] & 0xFFFFFFFF)
            F.put('smb.maxcount_low', f['max_count'])
            F.put('smb.mincount', f['min_count'])
            F.put('smb.remaining', f['remaining'])
            if b['wct'] == 12:
                F.put('smb.offset_high', f['offset'] >> 32)
                F.put('smb.maxcount_high', f['timeout'])
        else:
            if b['wct'] == 0:
                return
            F.put('smb.remaining', f['available'])
            F.put('smb.dcm', f['data_compaction_mode'])
            F.put('smb.data_len_low', f['data_length'] & 0xFFFF)
            F.put('smb.data_offset', f['data_offset'])
            F.put('smb.data_len_high', f['data_length'] >> 16)


TRANS_CMDS = (0x25, 0x26, 0x32, 0x33, 0xA0, 0xA1)

# Put by map_smb() for every block, described or not.
CHAIN_FIELDS = ('smb.wct', 'smb.bcc', 'smb.cmd', 'smb.andxoffset')


def map_described(b, F):
    """a block of a described type (smbdump's "fields" from the library's
    field visitor) -> tshark fields: each field with a Wireshark name, as
    the visitor gives it; no code per command"""
    f = b.get('fields', {})
    hexnames = set(b.get('bytes', []))
    for name, ws in b.get('wireshark', {}).items():
        if ws in CHAIN_FIELDS or name not in f:
            continue
        v = f[name]
        for x in (v if isinstance(v, list) else [v]):
            if isinstance(x, bool) or not isinstance(x, (int, str)):
                continue
            if isinstance(x, int):
                F.put(ws, x)
            elif name in hexnames:
                F.puthex(ws, x)
            else:
                F.puts(ws, x)


def map_trans(b, rsp, F):
    """a transaction block -> tshark fields (tests/dissect.c's mapping)"""
    c = b['command']
    f = b.get('fields', {})
    if rsp:
        if b['wct'] == 0:
            return
        F.put('smb.tpc', f['total_parameter_count'])
        F.put('smb.tdc', f['total_data_count'])
        F.put('smb.pc', f['parameter_count'])
        F.put('smb.po', f['parameter_offset'])
        F.put('smb.pd', f['parameter_displacement'])
        F.put('smb.dc', f['data_count'])
        F.put('smb.data_offset', f['data_offset'])
        F.put('smb.data_disp', f['data_displacement'])
        F.put('smb.sc', f['setup_count'])
        if c == 0x25:
            # tshark shows the bytes of a TRANSACTION it has no
            # sub-dissector for (an unknown pipe, a malformed call)
            if f['parameter_count']:
                F.puthex('smb.trans_data.parameters', f['parameters'])
            if f['data_count']:
                F.puthex('smb.trans_data', f['data'])
        return
    primary = c in (0x25, 0x32, 0xA0)
    nt = c in (0xA0, 0xA1)
    if primary and nt:
        F.put('smb.msc', f['max_setup_count'])
    F.put('smb.tpc', f['total_parameter_count'])
    F.put('smb.tdc', f['total_data_count'])
    if primary:
        F.put('smb.mpc', f['max_parameter_count'])
        F.put('smb.mdc', f['max_data_count'])
    if primary and not nt:
        F.put('smb.msc', f['max_setup_count'])
        F.put('smb.transaction.flags', f['flags'])
        F.put('smb.timeout', f['timeout'])
    F.put('smb.pc', f['parameter_count'])
    F.put('smb.po', f['parameter_offset'])
    if not primary:
        F.put('smb.pd', f['parameter_displacement'])
    F.put('smb.dc', f['data_count'])
    F.put('smb.data_offset', f['data_offset'])
    if not primary:
        F.put('smb.data_disp', f['data_displacement'])
    if primary:
        F.put('smb.sc', f['setup_count'])
    if c == 0xA0:
        F.put('smb.nt.function', f['function'])
    if c == 0x33:
        F.put('smb.fid', f['fid'])
    if c == 0x32 and f['setup_count'] >= 1:
        F.put('smb.trans2.cmd', f['setup'][0])
    if c == 0x25:
        F.puts('smb.trans_name', f.get('name'))
        if f['parameter_count']:
            F.puthex('smb.trans_data.parameters', f['parameters'])
        if f['data_count']:
            F.puthex('smb.trans_data', f['data'])


# ---------------------------------------------------------------- payloads

def map_ea_list(lst, F):
    """an SMB_FEA_LIST object -> smb.ea.*"""
    if 'size_of_list_in_bytes' in lst:
        F.put('smb.ea.list_length', lst['size_of_list_in_bytes'])
    for e in lst.get('entries', []):
        F.put('smb.ea.flags', e['extended_attribute_flag'])
        F.put('smb.ea.name_length', e['attribute_name_length_in_bytes'])
        F.put('smb.ea.data_length', e['attribute_value_length_in_bytes'])
        F.puts('smb.ea.name', e.get('attribute_name'))
        if e['attribute_value_length_in_bytes']:
            F.puthex('smb.ea.data', e.get('attribute_value'))


def map_find_entry(e, level, F):
    """one directory entry -> tshark's fields"""
    if level in (1, 2):
        if 'resume_key' in e:
            F.put('smb.resume', e['resume_key'])
        for t, w in (('creation', 'create'), ('last_access', 'access'), ('last_write', 'last_write')):
            d, tm = e[t + '_date'], e[t + '_time']
            F.put('smb.%s.time' % w, d | tm << 16)     # tshark: the 4 bytes as one time
            F.put('smb.%s.smb.date' % w, d)
            F.put('smb.%s.smb.time' % w, tm)
        F.put('smb.data_size', e['file_data_size'])
        F.put('smb.alloc_size', e['allocation_size'])
        F.put('smb.file_attribute', e['attributes'])
        if level == 2:
            F.put('smb.ea.list_length', e['ea_size'])
    else:
        F.put('smb.next_entry_offset', e['next_entry_offset'])
        F.put('smb.file_index', e['file_index'])
        if level != 0x103:
            F.put('smb.create.time', e['creation_time'])
            F.put('smb.access.time', e['last_access_time'])
            F.put('smb.last_write.time', e['last_write_time'])
            F.put('smb.change.time', e['last_change_time'])
            F.put('smb.end_of_file', e['end_of_file'])
            F.put('smb.alloc_size64', e['allocation_size'])
            F.put('smb.file_attribute', e['ext_file_attributes'])
        if 'ea_size' in e:
            F.put('smb.ea.list_length', e['ea_size'])
        if 'short_name_length' in e:
            F.put('smb.short_file_name_len', e['short_name_length'])
            F.puts('smb.short_file', e.get('short_name'))
        if 'file_id' in e:
            F.put('smb.index_number', e['file_id'])
    F.put('smb.file_name_len', e['file_name_length'])
    F.puts('smb.file', e.get('file_name'))


def map_sd(sd, N):
    """a security descriptor -> tshark's nt.* fields, in its order: the
    header, the owner and group SIDs, then the SACL and the DACL"""
    N.put('nt.sec_desc.revision', sd['revision'])
    N.put('nt.sec_desc.type', sd['control'])
    N.put('nt.offset_to_owner_sid', sd['offset_owner'])
    N.put('nt.offset_to_group_sid', sd['offset_group'])
    N.put('nt.offset_to_sacl', sd['offset_sacl'])
    N.put('nt.offset_to_dacl', sd['offset_dacl'])
    for k in ('owner_sid', 'group_sid'):
        if k in sd:
            N.puts('nt.sid', sd[k])
    for k in ('sacl', 'dacl'):
        acl = sd.get(k)
        if acl is None:
            continue
        N.put('nt.acl.revision', acl['acl_revision'])
        N.put('nt.acl.size', acl['acl_size'])
        N.put('nt.acl.num_aces', acl['ace_count'] | acl['sbz2'] << 16)  # tshark: 32 bits
        for a in acl['aces']:
            N.put('nt.ace.type', a['ace_type'])
            N.put('nt.ace.flags', a['ace_flags'])
            N.put('nt.ace.size', a['ace_size'])
            if 'mask' in a:
                N.put('nt.access_mask', a['mask'])
            if 'flags' in a:
                N.put('nt.ace.object.flags', a['flags'])
            if 'object_type' in a:
                N.puts('nt.ace.object.guid', a['object_type'])
            if 'inherited_object_type' in a:
                N.puts('nt.ace.object.inherited_guid', a['inherited_object_type'])
            if 'sid' in a:
                N.puts('nt.sid', a['sid'])


def map_payload(t, rsp):
    """a "transaction" object -> (smb.* fields, nt.* fields) of its payload"""
    F, N = Fields(), Fields()
    p = t.get('payload')
    if p is None:
        return F, N
    cmd, sub = t['command'], t.get('subcommand')
    if cmd == 0x32 and sub in (1, 2):
        if not rsp and sub == 1:
            F.put('smb.search.attribute', p['search_attributes'])
            F.put('smb.search_count', p['search_count'])
            F.put('smb.find_first2.flags', p['flags'])
            F.put('smb.ff2_loi', p['information_level'])
            F.put('smb.storage_type', p['search_storage_type'])
            F.puts('smb.search_pattern', p.get('file_name'))
        elif not rsp:
            F.put('smb.search_id', p['sid'])
            F.put('smb.search_count', p['search_count'])
            F.put('smb.ff2_loi', p['information_level'])
            F.put('smb.resume', p['resume_key'])
            F.put('smb.find_first2.flags', p['flags'])
            F.puts('smb.file', p.get('file_name'))
        else:
            if 'sid' in p:
                F.put('smb.search_id', p['sid'])
            F.put('smb.search_count', p['search_count'])
            F.put('smb.end_of_search', p['end_of_search'])
            F.put('smb.ea.error_offset', p['ea_error_offset'])
            F.put('smb.last_name_offset', p['last_name_offset'])
            for e in p.get('entries', []):
                map_find_entry(e, p['request_information_level'], F)
    elif cmd == 0x32 or (cmd == 0xA0 and sub not in (3, 6)):
        # the library's records (info.h): every field with a Wireshark
        # name, as the visitor gives it, like a described block
        for area in ('setup', 'parameters', 'data'):
            if area in p:
                R = Fields()
                map_described(p[area], R)
                for name, vals in R.d.items():
                    F.d.setdefault(name, []).extend(vals)
                F.text |= R.text
                # tshark repeats some of these under the FID it tracks (the
                # attributes the file was opened with) in the same message
                F.loose |= set(R.d) - R.text
        if 'extended_attribute_list' in p:
            map_ea_list(p['extended_attribute_list'], F)
    elif cmd == 0xA0 and sub in (3, 6):
        if 'fid' in p:
            F.put('smb.fid', p['fid'])
            F.put('smb.nt_qsd', p.get('security_info_fields', p.get('security_information')))
        if 'length_needed' in p:
            F.put('smb.sec_desc_len', p['length_needed'])
    if 'security_descriptor' in p:
        map_sd(p['security_descriptor'], N)
    return F, N


NT_FIELDS = ['nt.sec_desc.revision', 'nt.sec_desc.type', 'nt.offset_to_owner_sid',
             'nt.offset_to_group_sid', 'nt.offset_to_sacl', 'nt.offset_to_dacl', 'nt.sid',
             'nt.acl.revision', 'nt.acl.size', 'nt.acl.num_aces', 'nt.ace.type', 'nt.ace.flags',
             'nt.ace.size', 'nt.access_mask', 'nt.ace.object.flags', 'nt.ace.object.guid',
             'nt.ace.object.inherited_guid']
NT_TEXT = ('nt.sid', 'nt.ace.object.guid', 'nt.ace.object.inherited_guid')


def tshark_nt(cap, ports):
    """frame -> {nt field: '|'-joined values}: tshark's security descriptor
    fields, which the .vec files do not hold (None when tshark fails)"""
    args = [TSHARK, '-r', cap]
    for p in ports:
        args += ['-d', 'tcp.port==%d,nbss' % p]
    args += ['-Y', 'nt.sec_desc.revision', '-T', 'fields', '-E', 'occurrence=a',
             '-E', 'aggregator=|', '-e', 'frame.number']
    for f in NT_FIELDS:
        args += ['-e', f]
    try:
        r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    out = {}
    for line in r.stdout.decode('utf-8', 'replace').split('\n'):
        p = line.split('\t')
        if not p[0]:
            continue
        fr = int(p[0])
        d = {}
        for name, v in zip(NT_FIELDS, p[1:]):
            if v == '':
                continue
            if name not in NT_TEXT:
                v = '|'.join(str(int(x, 0)) for x in v.split('|'))
            d[name] = v
        out[fr] = d
    return out


def map_smb(obj):
    """our JSON object of an SMB1 message -> (Fields, has untyped blocks)"""
    F = Fields()
    s = obj['smb']
    F.put('smb.cmd', s['command'])
    if s['flags2'] & 0x4000:
        F.put('smb.nt_status', s['status'])
    else:
        F.put('smb.error_class', s['status'] & 0xFF)
        F.put('smb.error_code', s['status'] >> 16)
    F.put('smb.flags', s['flags'])
    F.put('smb.flags.response', 1 if s['response'] else 0)
    F.put('smb.flags2', s['flags2'])
    F.put('smb.pid.high', s['pid'] >> 16)
    F.puthex('smb.signature', s['signature'])
    F.put('smb.tid', s['tid'])
    F.put('smb.pid', s['pid'] & 0xFFFF)
    F.put('smb.uid', s['uid'])
    F.put('smb.mid', s['mid'])
    untyped = False
    F.trans = set()
    for b in s['chain']:
        f = b.get('fields', {})
        described = 'wireshark' in b
        acmd = f.get('AndXCommand') if described else f.get('andx_command')
        aoff = f.get('AndXOffset') if described else f.get('andx_offset')
        if acmd is not None:
            F.put('smb.cmd', acmd)
        F.put('smb.wct', b['wct'])
        if aoff is not None:
            F.put('smb.andxoffset', aoff)
        F.put('smb.bcc', b['bcc'])
        if not b.get('typed'):
            untyped = True
            continue
        if described:
            map_described(b, F)
            continue
        if b['command'] in TRANS_CMDS:
            # tshark decodes the subcommand's parameters and data with
            # names of their own, some shared (smb.fid, smb.file, ...)
            untyped = True
            before = {k: len(v) for k, v in F.d.items()}
            map_block(b, s['response'], F)
            F.trans.update(k for k, v in F.d.items() if len(v) > before.get(k, 0))
            continue
        map_block(b, s['response'], F)
    return F, untyped


def load_vec(path):
    msgs, ports = [], []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('#'):
                m = re.search(r'server port\(s\): ([0-9 ]*)', line)
                if m:
                    ports = [int(p) for p in m.group(1).split()]
                continue
            if line.startswith('msg '):
                _, fr, d, hx = line.split(' ', 3)
                msgs.append({'frame': int(fr), 'dir': d, 'hex': hx, 'f': {}})
            elif line.startswith('f ') and msgs:
                name, _, value = line[2:].partition(' ')
                msgs[-1]['f'][name] = value
    return msgs, ports


def load_known(paths):
    """entries [capture, frame, what, uses, from the payload list]"""
    known = []
    for path in paths:
        if path and os.path.exists(path):
            mine = os.path.realpath(path) == os.path.realpath(PAYLOAD_KNOWN)
            with open(path, encoding='utf-8') as f:
                for line in f:
                    p = line.split()
                    if len(p) >= 3 and not line.startswith('#'):
                        known.append([p[0], p[1], p[2], 0, mine])
    return known


def is_known(known, cap, frame, what):
    for k in known:
        if k[0] == cap and k[2] == what and (k[1] == '*' or k[1] == str(frame)):
            k[3] += 1
            return True
    return False


def tshark_streams(cap):
    """(frame -> tcp.stream, tcp.stream -> {its two ports}); (None, None)
    when tshark is missing"""
    try:
        r = subprocess.run([TSHARK, '-r', cap, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream',
                            '-e', 'tcp.srcport', '-e', 'tcp.dstport'],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None, None
    out, ports = {}, {}
    for line in r.stdout.decode(errors='replace').splitlines():
        p = line.split('\t')
        if len(p) >= 2 and p[1]:
            st = int(p[1].split(',')[0])
            out[int(p[0])] = st
            if len(p) >= 4 and p[2] and p[3]:
                ports.setdefault(st, set()).update((int(p[2].split(',')[0]), int(p[3].split(',')[0])))
    return out, ports


class Result:
    def __init__(self):
        self.compared = self.agree = self.known = self.msgs = 0
        self.t_compared = self.t_agree = self.t_known = 0   # transaction block fields
        self.p_compared = self.p_agree = self.p_known = 0   # transaction payload fields
        self.p_payloads = self.p_shown = self.p_errors = self.p_errors_known = 0
        self.p_values = 0                                   # values in those fields
        self.p_names = {}
        self.bad = []
        self.names = {}
        self.caps = set()
        self.by_bytes = 0                                   # NBSS packets on ports tshark does not decode
        self.by_bytes_streams = set()


# tshark tracks a FID and shows, as generated fields, the values of the
# open that made it in later blocks that use it (a READ_ANDX chained to
# NT_CREATE_ANDX shows the create's flags again); tests/test_golden.c's
# tshark_copied() accepts the same copies.
TRACKED = ('smb.file_attribute', 'smb.create_flags', 'smb.access_mask', 'smb.share_access',
           'smb.create_options', 'smb.create.disposition')


def compare_value(name, ours, theirs, F, untyped):
    if ours == theirs:
        return True
    if name in TRACKED and (theirs.endswith('|' + ours) or theirs.startswith(ours + '|')):
        return True                       # tshark copies the open's values, before or after
    if untyped and theirs.startswith(ours + '|'):
        return True                       # tshark's own use of the name in untyped blocks
    if name in F.text:
        a, b = split_values(ours), split_values(theirs)
        if len(a) == len(b) and all(x == y or oem_equal(x, y) for x, y in zip(a, b)):
            return True
    return False


def run_capture(smbdump, vecdir, cap, known, res, quiet):
    base = os.path.splitext(os.path.basename(cap))[0]
    vec = os.path.join(vecdir, base + '.vec')
    if not os.path.exists(vec):
        print('%s: no vectors (%s): skipped' % (base, vec))
        return None
    vmsgs, ports = load_vec(vec)
    if not vmsgs:
        # extract.py could not cut this capture into NBSS packets the way
        # tshark does (e.g. a fuzzed stream): nothing to compare with.
        print('%s: the vectors hold no NBSS packet: skipped' % base)
        return None
    args = [smbdump, '--json', '--hex-limit', '0']
    for p in ports:
        if p not in (139, 445):
            args += ['--port', str(p)]
    args.append(cap)
    try:
        r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        res.bad.append('%s: smbdump timed out' % base)
        return False
    if r.returncode < 0 or r.returncode > 1:
        res.bad.append('%s: smbdump exited with %d: %s' % (base, r.returncode, r.stderr.decode(errors='replace')))
        return False
    ours = {}
    for n, line in enumerate(r.stdout.decode('utf-8').split('\n')[:-1]):
        try:
            o = json.loads(line)
        except ValueError as e:
            res.bad.append('%s: line %d of the JSON output does not parse: %s' % (base, n + 1, e))
            return False
        if 'nbdgm' in o:  # NetBIOS datagrams: tests/smbdump/dgramcheck.py
            continue
        ours.setdefault(o['frame'], []).append(o)
    streams, stream_ports = tshark_streams(cap)
    res.caps.add(base)
    r0 = (res.compared, res.agree, res.known, len(res.bad))
    seen = {}
    nt_ours = {}      # frame -> [nt Fields of our payloads in that frame]
    nt_shown = {}     # frame -> whether a payload of the frame had fields tshark showed

    def pcheck(frame, name, mine, theirs, F):
        """one payload field: counted in the totals and apart"""
        res.compared += 1
        res.p_compared += 1
        res.names[name] = res.names.get(name, 0) + 1
        res.p_names[name] = res.p_names.get(name, 0) + 1
        res.p_values += len(split_values(theirs))
        ok = mine == theirs
        if not ok and name in F.text:
            a, b = split_values(mine), split_values(theirs)
            ok = len(a) == len(b) and all(x == y or lossy_equal(x, y) for x, y in zip(a, b))
        if not ok and name in F.loose:
            # a record's numbers: tshark's values are those of the whole
            # frame (other messages, the FID's generated fields) around ours
            a, b = split_values(mine), split_values(theirs)
            ok = any(b[i:i + len(a)] == a for i in range(len(b) - len(a) + 1))
        if ok:
            res.agree += 1
            res.p_agree += 1
        elif is_known(known, base, frame, name):
            res.known += 1
            res.p_known += 1
        else:
            res.bad.append("%s frame %d: payload %s: smbdump '%.200s' tshark '%.200s'"
                           % (base, frame, name, mine, theirs))

    def check(frame, name, mine, theirs, F=None, untyped=False):
        res.compared += 1
        res.names[name] = res.names.get(name, 0) + 1
        tr = F is not None and name in F.trans
        if tr:
            res.t_compared += 1
        if F is not None:
            ok = compare_value(name, mine, theirs, F, untyped)
        else:
            ok = mine == theirs
        if ok:
            res.agree += 1
            if tr:
                res.t_agree += 1
        elif is_known(known, base, frame, name):
            res.known += 1
            if tr:
                res.t_known += 1
        else:
            res.bad.append("%s frame %d: %s: smbdump '%.200s' tshark '%.200s'" % (base, frame, name, mine, theirs))

    for vm in vmsgs:
        fr = vm['frame']
        k = seen.get(fr, 0)
        seen[fr] = k + 1
        lst = ours.get(fr, [])
        if k >= len(lst):
            if not is_known(known, base, fr, 'smbdump.missing'):
                res.bad.append('%s frame %d: NBSS packet %d of the frame missing from smbdump' % (base, fr, k + 1))
            continue
        o = lst[k]
        res.msgs += 1
        raw = bytes.fromhex(vm['hex'])
        tf = vm['f']
        check(fr, 'dir', o['dir'], vm['dir'])
        if streams is not None and fr in streams:
            check(fr, 'tcp.stream', str(o['stream']), str(streams[fr]))
        check(fr, 'nbss.type', str(o['nbss']['type']), tf.get('nbss.type', str(raw[0])))
        check(fr, 'nbss.length', str(o['nbss']['length']), tf.get('nbss.length', str(len(raw) - 4)))
        if 'nbss.called_name' in tf:
            check(fr, 'nbss.called_name', esc(o['nbss'].get('called', '')), tf['nbss.called_name'])
        if 'nbss.calling_name' in tf:
            check(fr, 'nbss.calling_name', esc(o['nbss'].get('calling', '')), tf['nbss.calling_name'])
        if 'nbss.error_code' in tf:
            check(fr, 'nbss.error_code', str(o['nbss'].get('error', '')), tf['nbss.error_code'])
        if raw[0] != 0 or raw[4:8] != b'\xffSMB':
            continue
        if 'error' in o:
            code = o['error']['code']
            res.compared += 1
            if is_known(known, base, fr, code):
                res.known += 1
            else:
                res.bad.append('%s frame %d: smbdump: %s at offset %s (%s)' % (
                    base, fr, code, o['error']['offset'], o['error']['field']))
            continue
        if 'smb' not in o:
            res.bad.append('%s frame %d: smbdump shows no SMB message' % (base, fr))
            continue
        F, untyped = map_smb(o)
        for name, vals in F.d.items():
            if name not in tf:
                continue
            check(fr, name, '|'.join(vals), tf[name], F, untyped)
        t = o.get('transaction')
        if t is None or ('payload' not in t and 'payload_error' not in t):
            continue
        res.p_payloads += 1
        if 'payload_error' in t:
            pe = t['payload_error']
            res.compared += 1
            res.p_errors += 1
            if is_known(known, base, fr, pe['code']):
                res.known += 1
                res.p_errors_known += 1
            else:
                res.bad.append('%s frame %d: payload: %s at %s offset %s (%s)' % (
                    base, fr, pe['code'], pe['area'], pe['offset'], pe['field']))
        P, N = map_payload(t, o['smb']['response'])
        shown = False
        for name, vals in P.d.items():
            if name in tf:
                shown = True
                pcheck(fr, name, '|'.join(vals), tf[name], P)
        if N.d:
            nt_ours.setdefault(fr, []).append(N)
            nt_shown[fr] = nt_shown.get(fr, False) or shown
        elif shown:
            res.p_shown += 1
    # the security descriptors: tshark's nt.* fields per frame
    if nt_ours:
        nt = tshark_nt(cap, [p for p in ports if p not in (139, 445)]) or {}
        for fr, lst in sorted(nt_ours.items()):
            N = Fields()
            for x in lst:
                for name, vals in x.d.items():
                    N.d.setdefault(name, []).extend(vals)
                N.text |= x.text
            theirs = nt.get(fr, {})
            for name, vals in N.d.items():
                if name in theirs:
                    nt_shown[fr] = True
                    pcheck(fr, name, '|'.join(vals), theirs[name], N)
            if nt_shown.get(fr):
                res.p_shown += len(lst)
    # objects smbdump printed that tshark does not have; those of TCP
    # connections on none of the ports tshark decodes NBSS on (139, 445, the
    # .vec's ports: smbdump recognised SMB by its bytes there, tshark does
    # not look) are counted apart, not compared
    followed = {139, 445} | set(ports)
    for fr, lst in ours.items():
        extra = len(lst) - seen.get(fr, 0)
        if extra <= 0:
            continue
        st = lst[-1]['stream']
        if stream_ports is not None and st in stream_ports and not (stream_ports[st] & followed):
            res.by_bytes += extra
            res.by_bytes_streams.add((base, st))
            continue
        if not is_known(known, base, fr, 'smbdump.extra'):
            res.bad.append('%s frame %d: %d NBSS packet(s) from smbdump that the vectors do not have'
                           % (base, fr, extra))
    c, a, kn, nb = res.compared - r0[0], res.agree - r0[1], res.known - r0[2], len(res.bad) - r0[3]
    if not quiet or nb:
        print('%-40s %6d messages %7d fields: %6.2f%% agree, %d known, %d disagreements'
              % (base, len(vmsgs), c, 100.0 * a / c if c else 100.0, kn, nb))
    return nb == 0


def main():
    args = sys.argv[1:]
    known_paths = []
    quiet = names = False
    while args and args[0].startswith('-'):
        a = args.pop(0)
        if a == '--known':
            known_paths.append(args.pop(0))
        elif a == '-q':
            quiet = True
        elif a == '--fields':
            names = True
        else:
            sys.exit(__doc__)
    if len(args) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    smbdump, vecdir, caps = args[0], args[1], args[2:]
    if not os.access(smbdump, os.X_OK):
        print('%s: not an executable' % smbdump, file=sys.stderr)
        sys.exit(2)
    known = load_known(known_paths or DEFAULT_KNOWN)
    res = Result()
    ncap = 0
    for cap in caps:
        if run_capture(smbdump, vecdir, cap, known, res, quiet) is not None:
            ncap += 1
    if names:
        print('fields compared: ' + ' '.join('%s(%d)' % kv for kv in sorted(res.names.items())))
    if names and res.p_names:
        print('payload fields compared: ' + ' '.join('%s(%d)' % kv for kv in sorted(res.p_names.items())))
    for k in known:
        if k[4] and k[3] == 0 and k[0] in res.caps:
            res.bad.append('stale known difference (never met): %s %s %s' % (k[0], k[1], k[2]))
    for b in res.bad:
        print('DISAGREE ' + b)
    pct = 100.0 * res.agree / res.compared if res.compared else 100.0
    pct_k = 100.0 * (res.agree + res.known) / res.compared if res.compared else 100.0
    if res.t_compared:
        print('transaction blocks: %d fields compared, %.3f%% agree (%.3f%% with %d listed known differences)'
              % (res.t_compared, 100.0 * res.t_agree / res.t_compared,
                 100.0 * (res.t_agree + res.t_known) / res.t_compared, res.t_known))
    if res.p_payloads:
        pc = res.p_compared
        print('transaction payloads: %d decoded (%d with fields tshark shows in the same message, '
              '%d failed, %d of them listed); %d payload fields (%d values) compared, %.3f%% agree '
              '(%.3f%% with %d listed known differences)'
              % (res.p_payloads, res.p_shown, res.p_errors, res.p_errors_known, pc, res.p_values,
                 100.0 * res.p_agree / pc if pc else 100.0,
                 100.0 * (res.p_agree + res.p_known) / pc if pc else 100.0, res.p_known))
    if res.by_bytes:
        print('not compared: %d NBSS packets on %d TCP connections on other ports than tshark decodes '
              '(SMB recognised by its bytes)' % (res.by_bytes, len(res.by_bytes_streams)))
    print('smbdump vs tshark: %d captures, %d messages, %d fields compared, %.3f%% agree '
          '(%.3f%% with the %d listed known differences), %d unlisted disagreements'
          % (ncap, res.msgs, res.compared, pct, pct_k, res.known, len(res.bad)))
    sys.exit(1 if res.bad else 0)


if __name__ == '__main__':
    main()
