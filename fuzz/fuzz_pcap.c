/*
 * libFuzzer target: the bytes are a pcap or pcapng file, read through
 * smbdump's capture reader (examples/flow.c: link layers, IPv4/IPv6, TCP
 * reassembly, NBSS framing) and decoded by smbdump with every output on
 * (the Info line, -V through examples/print.c, --json and --stats), all
 * printed to /dev/null.  Ports 139, 445 and 14450 are followed.
 *
 * Build (clang): fuzz_pcap.c + ../examples/flow.c + ../examples/print.c,
 * with libpcap and the static library; smbdump.c is included below with
 * its main() left out.
 */
#define SMBDUMP_NO_MAIN 1
#include "../examples/smbdump.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *null_out;
  static const uint16_t ports[] = {14450};
  if (size == 0) return 0;
  if (!null_out) null_out = fopen("/dev/null", "w");
  if (!null_out) return 0;
  /* fmemopen does not write to a read-only buffer opened "rb". */
  FILE *fp = fmemopen((void *)(uintptr_t)data, size, "rb");
  if (!fp) return 0;
  smbdump_fuzz_one(fp, null_out, ports, 1);
  return 0;
}
