#!/usr/bin/python3
"""Count the SMB1 command blocks in captures, per command, direction and WordCount.

usage: /usr/bin/python3 tests/golden/commands.py [--markdown] CAPTURE...

Uses tshark's fields smb.cmd, smb.flags.response and smb.wct (and the TCP ports to
tell a request that the server sends, such as an oplock break, from a client's).
The ports 139, 445, 4445 and 14450..14452 are decoded as NBSS. Every block of an
AndX chain counts once: tshark lists the header's command, then each block's
AndXCommand (0xFF ends the chain), and one smb.wct per block. The WordCount is the
one on the wire (an extended NT_CREATE_ANDX response declares 42 and carries 50).
"""
import collections
import subprocess
import sys

SERVER_PORTS = (139, 445, 4445, 14450, 14451, 14452)

NAMES = {
    0x00: 'CREATE_DIRECTORY', 0x01: 'DELETE_DIRECTORY', 0x02: 'OPEN', 0x03: 'CREATE', 0x04: 'CLOSE',
    0x05: 'FLUSH', 0x06: 'DELETE', 0x07: 'RENAME', 0x08: 'QUERY_INFORMATION', 0x09: 'SET_INFORMATION',
    0x0a: 'READ', 0x0b: 'WRITE', 0x0c: 'LOCK_BYTE_RANGE', 0x0d: 'UNLOCK_BYTE_RANGE',
    0x0e: 'CREATE_TEMPORARY', 0x0f: 'CREATE_NEW', 0x10: 'CHECK_DIRECTORY', 0x11: 'PROCESS_EXIT',
    0x12: 'SEEK', 0x13: 'LOCK_AND_READ', 0x14: 'WRITE_AND_UNLOCK', 0x1a: 'READ_RAW', 0x1b: 'READ_MPX',
    0x1d: 'WRITE_RAW', 0x1e: 'WRITE_MPX', 0x20: 'WRITE_COMPLETE', 0x22: 'SET_INFORMATION2',
    0x23: 'QUERY_INFORMATION2', 0x24: 'LOCKING_ANDX', 0x25: 'TRANSACTION', 0x26: 'TRANSACTION_SECONDARY',
    0x27: 'IOCTL', 0x28: 'IOCTL_SECONDARY', 0x29: 'COPY', 0x2a: 'MOVE', 0x2b: 'ECHO',
    0x2c: 'WRITE_AND_CLOSE', 0x2d: 'OPEN_ANDX', 0x2e: 'READ_ANDX', 0x2f: 'WRITE_ANDX',
    0x31: 'CLOSE_AND_TREE_DISC', 0x32: 'TRANSACTION2', 0x33: 'TRANSACTION2_SECONDARY',
    0x34: 'FIND_CLOSE2', 0x35: 'FIND_NOTIFY_CLOSE', 0x70: 'TREE_CONNECT', 0x71: 'TREE_DISCONNECT',
    0x72: 'NEGOTIATE', 0x73: 'SESSION_SETUP_ANDX', 0x74: 'LOGOFF_ANDX', 0x75: 'TREE_CONNECT_ANDX',
    0x7e: 'SECURITY_PACKAGE_ANDX', 0x80: 'QUERY_INFORMATION_DISK', 0x81: 'SEARCH', 0x82: 'FIND',
    0x83: 'FIND_UNIQUE', 0x84: 'FIND_CLOSE', 0xa0: 'NT_TRANSACT', 0xa1: 'NT_TRANSACT_SECONDARY',
    0xa2: 'NT_CREATE_ANDX', 0xa4: 'NT_CANCEL', 0xa5: 'NT_RENAME', 0xc0: 'OPEN_PRINT_FILE',
    0xc1: 'WRITE_PRINT_FILE', 0xc2: 'CLOSE_PRINT_FILE', 0xc3: 'GET_PRINT_QUEUE', 0xd8: 'READ_BULK',
    0xd9: 'WRITE_BULK', 0xda: 'WRITE_BULK_DATA', 0xfe: 'INVALID', 0xff: 'NO_ANDX_COMMAND',
}


def count(path):
    args = ['tshark', '-r', path, '-o', 'tcp.desegment_tcp_streams:TRUE',
            '-o', 'nbss.desegment_nbss_commands:TRUE']
    for p in SERVER_PORTS:
        args += ['-d', 'tcp.port==%d,nbss' % p]
    args += ['-Y', 'smb', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=,',
             '-e', 'smb.cmd', '-e', 'smb.flags.response', '-e', 'smb.wct', '-e', 'tcp.srcport']
    out = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout.decode()
    c = collections.Counter()
    for line in out.splitlines():
        f = (line.split('\t') + [''] * 4)[:4]
        cmds = [int(x, 16) for x in f[0].split(',') if x]
        resp = [x in ('1', 'True') for x in f[1].split(',') if x]
        wcts = [x for x in f[2].split(',') if x]
        from_server = f[3].isdigit() and int(f[3]) in SERVER_PORTS
        blocks = [x for x in cmds if x != 0xff]
        for i, cmd in enumerate(blocks):
            r = resp[0] if resp else False
            if r:
                d = 'response'
            elif from_server:
                d = 'request (server)'
            else:
                d = 'request'
            c[(cmd, d, wcts[i] if i < len(wcts) else '?')] += 1
    return c


def main():
    args = sys.argv[1:]
    md = False
    if args and args[0] == '--markdown':
        md = True
        args = args[1:]
    total = collections.Counter()
    for p in args:
        total += count(p)
    order = {'request': 0, 'request (server)': 1, 'response': 2}
    keys = sorted(total, key=lambda k: (k[0], order[k[1]], int(k[2]) if k[2].isdigit() else 999))
    if md:
        print('| code | command | direction | WordCount | instances |')
        print('|---|---|---|---|---|')
    for cmd, d, w in keys:
        name = NAMES.get(cmd, '?')
        if md:
            print('| 0x%02X | %s | %s | %s | %d |' % (cmd, name, d, w, total[(cmd, d, w)]))
        else:
            print('0x%02X\t%s\t%s\t%s\t%d' % (cmd, name, d, w, total[(cmd, d, w)]))


if __name__ == '__main__':
    main()
