/**
 * @file smbwire.h
 * @brief Umbrella header: include this to get the whole smbwire API.
 *
 * smbwire is a pure, allocation-free encoder/decoder for NetBIOS session
 * service frames and SMB1 (NT LM 0.12) messages.  No function allocates,
 * performs I/O or touches global mutable state; all are thread-safe.
 */
#ifndef SMBWIRE_SMBWIRE_H
#define SMBWIRE_SMBWIRE_H

#include <smbwire/version.h>
#include <smbwire/common.h>
#include <smbwire/error.h>
#include <smbwire/str.h>
#include <smbwire/status.h>
#include <smbwire/nbss.h>
#include <smbwire/dgram.h>
#include <smbwire/message.h>
#include <smbwire/parse.h>
#include <smbwire/negotiate.h>
#include <smbwire/session.h>
#include <smbwire/tree.h>
#include <smbwire/open.h>
#include <smbwire/read.h>
#include <smbwire/form.h>
#include <smbwire/info.h>
#include <smbwire/commands.h>
#include <smbwire/trans.h>
#include <smbwire/find.h>
#include <smbwire/ea.h>
#include <smbwire/security.h>
#include <smbwire/sign.h>
#include <smbwire/rap.h>
#include <smbwire/pipe.h>
#include <smbwire/netlogon.h>

#endif
