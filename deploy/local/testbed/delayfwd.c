/*
 * delayfwd: the router of the sky-in-a-box testbed. A userspace IPv4 forwarder that holds every
 * packet for a constant one-way delay chosen per ordered pair of interfaces (regions), then sends
 * it on the destination region's interface through that interface's qdisc (the htb that sets the
 * pair's rate). The kernel of the router namespace does not forward (ip_forward=0); it only
 * answers for the router's own addresses, which this program leaves alone.
 *
 *   delayfwd --if NAME:A.B.C.D/P:MAC ...   one per region, in region order (1, 2, ...): the
 *                                           router-side interface, the region's subnet, and the
 *                                           MAC of the region's end of the link
 *            --local A.B.C.D ...            addresses of the router itself (left to the kernel)
 *            --delay I:J:MICROS[:LIMIT]     one-way delay of packets from region I to region J,
 *                                           LIMIT = packets held at most for that pair (default
 *                                           --limit, 4096); pairs not given: no delay
 *            [--limit PACKETS] [--tick MICROS] [--mtu BYTES] [--stats FILE]
 *
 * --mtu (default 1500, at most 9000) is the links' MTU: it sizes the ring frames and queue slots.
 *
 * TTL is decremented (packets arriving with TTL <= 1 are dropped and counted) and the IPv4 header
 * checksum updated incrementally (RFC 1624). Per-pair counters go to stdout and, with --stats, to
 * FILE (written whole, then renamed) on SIGUSR1 and at exit (SIGTERM, SIGINT).
 *
 * One AF_PACKET socket per interface, bound to ETH_P_IP: it sees incoming IPv4 frames only
 * (outgoing copies go to ETH_P_ALL taps). It receives through a TPACKET_V2 ring (no system call
 * per frame) and sends with sendmmsg(), without PACKET_QDISC_BYPASS, so frames pass the htb.
 * Offloads must be off on both ends of each veth (no GRO/GSO super-frames, no partial checksums).
 *
 * Timing: while frames keep arriving, the loop wakes on a fixed tick (--tick, default 500 us),
 * copies what the rings hold and sends every frame due by the middle of the next tick. When no
 * frame came for a few ticks it sleeps until the next frame is due or one arrives, whichever is
 * first. Due times count from the kernel's receive timestamp in the ring, so a release is off by
 * at most half a tick either way (mean 0). Waking once per packet instead cost ~14 % of a core
 * at 40 Mbit/s on the 2-core development machine; each tick costs ~1.5-2 us of CPU there.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_IF 32
#define MAX_LOCAL 64
#define RING_FRAMES 2048 /* per interface: 4 MiB at MTU 1500, ~25 ms at 1 Gbit/s of full frames */
#define RING_BLOCK (64 * 1024)
#define BATCH 64
#define IDLE_TICKS 4 /* ticks without traffic and without queued frames before blocking */

struct iface {
  char name[IFNAMSIZ];
  int ifindex, fd;
  uint32_t net, mask; /* host byte order */
  uint8_t self_mac[6], peer_mac[6];
  uint8_t *ring;
  uint32_t ring_next;
  uint64_t rx, ignored, oversize, no_buffer, kernel_drops;
};

struct pair {
  uint64_t delay_ns;
  uint32_t limit, head, count; /* FIFO of slot numbers, ring of size limit */
  uint32_t *ring;
  uint64_t pkts, bytes, drop_full, drop_qdisc, drop_ttl;
};

static struct iface ifs[MAX_IF];
static int nif;
static uint32_t locals[MAX_LOCAL];
static int nlocal;
static struct pair pairs[MAX_IF][MAX_IF];
static uint32_t default_limit = 4096;
static uint64_t tick_ns = 500000;
static uint32_t slot_size = 2048;  /* one queued frame: MTU + Ethernet header, offloads off */
static uint32_t ring_frame = 2048; /* one frame of the receive ring: header + sockaddr_ll + frame */
static const char *stats_path;
static uint64_t stats_seq;
static int64_t real_to_mono; /* CLOCK_MONOTONIC - CLOCK_REALTIME: ring timestamps are realtime */

static uint8_t *pool;      /* queued frames, slot_size each */
static uint16_t *slot_len; /* frame length per slot */
static uint64_t *slot_due; /* release time per slot, CLOCK_MONOTONIC ns */
static uint32_t *free_slots, nfree;
static uint64_t queued;

static volatile sig_atomic_t want_stats, want_exit;

static void die(const char *what) {
  fprintf(stderr, "delayfwd: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void usage_error(const char *msg, const char *arg) {
  fprintf(stderr, "delayfwd: %s '%s'\n", msg, arg);
  exit(2);
}

static uint64_t ts_ns(const struct timespec *ts) {
  return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts_ns(&ts);
}

static void sync_clocks(void) {
  struct timespec real, mono;
  clock_gettime(CLOCK_REALTIME, &real);
  clock_gettime(CLOCK_MONOTONIC, &mono);
  real_to_mono = (int64_t)ts_ns(&mono) - (int64_t)ts_ns(&real);
}

static int parse_mac(const char *s, uint8_t mac[6]) {
  unsigned v[6];
  char end;
  if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &end) != 6)
    return -1;
  for (int i = 0; i < 6; i++) {
    if (v[i] > 255) return -1;
    mac[i] = (uint8_t)v[i];
  }
  return 0;
}

/* --if NAME:A.B.C.D/P:MAC (the MAC has colons too: split at the first two). */
static void parse_if(const char *arg) {
  if (nif == MAX_IF) usage_error("too many interfaces at", arg);
  struct iface *f = &ifs[nif];
  const char *c1 = strchr(arg, ':');
  const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
  if (!c1 || !c2 || c1 == arg || (size_t)(c1 - arg) >= IFNAMSIZ) usage_error("bad --if", arg);
  memcpy(f->name, arg, (size_t)(c1 - arg));
  char net[32];
  size_t n = (size_t)(c2 - c1 - 1);
  if (n >= sizeof net) usage_error("bad --if subnet", arg);
  memcpy(net, c1 + 1, n);
  net[n] = 0;
  char *slash = strchr(net, '/');
  if (!slash) usage_error("--if subnet needs /PREFIX", arg);
  *slash = 0;
  char *end;
  long prefix = strtol(slash + 1, &end, 10);
  struct in_addr a;
  if (*end || prefix < 0 || prefix > 32 || inet_pton(AF_INET, net, &a) != 1)
    usage_error("bad --if subnet", arg);
  f->mask = prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
  f->net = ntohl(a.s_addr) & f->mask;
  if (parse_mac(c2 + 1, f->peer_mac)) usage_error("bad --if MAC", arg);
  nif++;
}

/* --delay I:J:MICROS[:LIMIT], I and J are 1-based positions of --if. */
static void parse_delay(const char *arg) {
  unsigned i, j;
  unsigned long long us;
  unsigned limit = 0;
  char end;
  int n = sscanf(arg, "%u:%u:%llu:%u%c", &i, &j, &us, &limit, &end);
  if (n != 3 && n != 4) usage_error("bad --delay", arg);
  if (i < 1 || j < 1 || i > MAX_IF || j > MAX_IF || i == j) usage_error("bad --delay pair", arg);
  if (n == 4 && limit == 0) usage_error("bad --delay limit", arg);
  pairs[i - 1][j - 1].delay_ns = us * 1000u;
  pairs[i - 1][j - 1].limit = limit;
}

static unsigned long parse_number(const char *opt, const char *val, unsigned long min, unsigned long max) {
  char *end;
  unsigned long v = strtoul(val, &end, 10);
  if (*end || v < min || v > max) usage_error(opt, val);
  return v;
}

static void on_signal(int sig) {
  if (sig == SIGUSR1)
    want_stats = 1;
  else
    want_exit = 1;
}

static void open_iface(struct iface *f) {
  f->ifindex = (int)if_nametoindex(f->name);
  if (!f->ifindex) die(f->name);
  f->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (f->fd < 0) die("socket(AF_PACKET)");
  /* Frames waiting in the qdisc are charged to the sending socket: keep room for all of them. */
  int size = 64 << 20;
  if (setsockopt(f->fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) < 0) die("SO_SNDBUFFORCE");
  int version = TPACKET_V2;
  if (setsockopt(f->fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) < 0) die("PACKET_VERSION");
  struct tpacket_req req = {.tp_block_size = RING_BLOCK,
                            .tp_block_nr = RING_FRAMES * ring_frame / RING_BLOCK,
                            .tp_frame_size = ring_frame,
                            .tp_frame_nr = RING_FRAMES};
  if (setsockopt(f->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0) die("PACKET_RX_RING");
  f->ring = mmap(NULL, (size_t)RING_FRAMES * ring_frame, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, 0);
  if (f->ring == MAP_FAILED) die("mmap(PACKET_RX_RING)");
  struct sockaddr_ll sll = {0};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_IP);
  sll.sll_ifindex = f->ifindex;
  if (bind(f->fd, (struct sockaddr *)&sll, sizeof sll) < 0) die("bind(AF_PACKET)");
  struct ifreq ifr = {0};
  memcpy(ifr.ifr_name, f->name, sizeof f->name);
  if (ioctl(f->fd, SIOCGIFHWADDR, &ifr) < 0) die("SIOCGIFHWADDR");
  memcpy(f->self_mac, ifr.ifr_hwaddr.sa_data, 6);
}

static void read_kernel_drops(void) {
  for (int k = 0; k < nif; k++) {
    struct tpacket_stats st;
    socklen_t len = sizeof st;
    if (getsockopt(ifs[k].fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
      ifs[k].kernel_drops += st.tp_drops; /* reading resets the kernel's counters */
  }
}

static void write_stats(FILE *out) {
  fprintf(out, "# delayfwd seq=%llu\n", (unsigned long long)stats_seq);
  fprintf(out, "#pair\tsrc\tdst\tdelay_us\tpackets\tbytes\tdrop_queue_full\tdrop_qdisc\tdrop_ttl\tqueued\n");
  for (int i = 0; i < nif; i++)
    for (int j = 0; j < nif; j++) {
      if (i == j) continue;
      struct pair *p = &pairs[i][j];
      fprintf(out, "pair\t%d\t%d\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%u\n", i + 1, j + 1,
              (unsigned long long)(p->delay_ns / 1000), (unsigned long long)p->pkts,
              (unsigned long long)p->bytes, (unsigned long long)p->drop_full,
              (unsigned long long)p->drop_qdisc, (unsigned long long)p->drop_ttl, p->count);
    }
  fprintf(out, "#iface\tindex\tname\trx\tignored\toversize\tdrop_no_buffer\tdrop_kernel\n");
  for (int k = 0; k < nif; k++)
    fprintf(out, "iface\t%d\t%s\t%llu\t%llu\t%llu\t%llu\t%llu\n", k + 1, ifs[k].name,
            (unsigned long long)ifs[k].rx, (unsigned long long)ifs[k].ignored,
            (unsigned long long)ifs[k].oversize, (unsigned long long)ifs[k].no_buffer,
            (unsigned long long)ifs[k].kernel_drops);
}

static void dump_stats(void) {
  stats_seq++;
  read_kernel_drops();
  write_stats(stdout);
  fflush(stdout);
  if (!stats_path) return;
  char tmp[PATH_MAX];
  snprintf(tmp, sizeof tmp, "%s.tmp", stats_path);
  FILE *f = fopen(tmp, "w");
  if (!f) {
    fprintf(stderr, "delayfwd: %s: %s\n", tmp, strerror(errno));
    return;
  }
  write_stats(f);
  if (fclose(f) != 0 || rename(tmp, stats_path) != 0)
    fprintf(stderr, "delayfwd: %s: %s\n", stats_path, strerror(errno));
}

static int region_of(uint32_t ip) {
  for (int k = 0; k < nif; k++)
    if ((ip & ifs[k].mask) == ifs[k].net) return k;
  return -1;
}

static int is_local(uint32_t ip) {
  for (int k = 0; k < nlocal; k++)
    if (locals[k] == ip) return 1;
  return 0;
}

/* One frame received on interface k (still in the ring): leaves it to the kernel, drops it, or
 * copies it into a slot, rewritten for the next hop, queued on its pair's FIFO. */
static void take_frame(int k, const uint8_t *frame, uint32_t len, uint8_t pkttype, uint64_t arrival) {
  struct iface *in = &ifs[k];
  const struct iphdr *ip = (const struct iphdr *)(frame + sizeof(struct ether_header));
  if (pkttype != PACKET_HOST || len < sizeof(struct ether_header) + sizeof(struct iphdr) ||
      ((const struct ether_header *)frame)->ether_type != htons(ETHERTYPE_IP) || ip->version != 4) {
    in->ignored++;
    return;
  }
  uint32_t dst = ntohl(ip->daddr);
  int j = region_of(dst);
  if (j < 0 || j == k || is_local(dst)) { /* for the router's kernel, or nowhere we route */
    in->ignored++;
    return;
  }
  struct pair *p = &pairs[k][j];
  if (ip->ttl <= 1) {
    p->drop_ttl++;
    return;
  }
  if (p->count == p->limit) {
    p->drop_full++;
    return;
  }
  if (len > slot_size) {
    in->oversize++;
    return;
  }
  if (nfree == 0) {
    in->no_buffer++;
    return;
  }
  uint32_t s = free_slots[--nfree];
  uint8_t *copy = pool + (size_t)s * slot_size;
  memcpy(copy, frame, len);
  struct ether_header *eth = (struct ether_header *)copy;
  memcpy(eth->ether_dhost, ifs[j].peer_mac, 6);
  memcpy(eth->ether_shost, ifs[j].self_mac, 6);
  /* TTL is the high byte of the 16-bit word TTL|protocol: subtract 0x0100, update the checksum. */
  struct iphdr *cip = (struct iphdr *)(copy + sizeof(struct ether_header));
  cip->ttl--;
  uint32_t sum = (uint32_t)ntohs(cip->check) + 0x0100u;
  cip->check = htons((uint16_t)(sum + (sum >= 0xffffu)));
  slot_len[s] = (uint16_t)len;
  slot_due[s] = arrival + p->delay_ns;
  p->ring[(p->head + p->count) % p->limit] = s;
  p->count++;
  queued++;
}

/* Takes every frame the ring of interface k holds; returns how many. */
static int receive(int k, uint64_t now) {
  struct iface *f = &ifs[k];
  int n = 0;
  for (;;) {
    struct tpacket2_hdr *h = (struct tpacket2_hdr *)(f->ring + (size_t)f->ring_next * ring_frame);
    if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER)) break;
    const struct sockaddr_ll *sll =
        (const struct sockaddr_ll *)((const uint8_t *)h + TPACKET_ALIGN(sizeof(struct tpacket2_hdr)));
    f->rx++;
    n++;
    if (h->tp_snaplen < h->tp_len) {
      f->oversize++;
    } else {
      int64_t t = (int64_t)h->tp_sec * 1000000000 + (int64_t)h->tp_nsec + real_to_mono;
      uint64_t arrival = t > 0 && (uint64_t)t <= now ? (uint64_t)t : now;
      take_frame(k, (const uint8_t *)h + h->tp_mac, h->tp_snaplen, sll->sll_pkttype, arrival);
    }
    __atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
    f->ring_next = (f->ring_next + 1) % RING_FRAMES;
  }
  return n;
}

/* Sends every frame due by `until`, in batches per outgoing interface; returns the earliest due
 * time still queued (UINT64_MAX: none). */
static uint64_t release(uint64_t until) {
  uint64_t next = UINT64_MAX;
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  uint32_t slots[BATCH];
  struct pair *owner[BATCH];
  for (int j = 0; j < nif; j++) {
    for (;;) {
      int n = 0;
      for (int i = 0; i < nif && n < BATCH; i++) {
        struct pair *p = &pairs[i][j];
        while (p->count > 0 && n < BATCH) {
          uint32_t s = p->ring[p->head];
          if (slot_due[s] > until) break;
          p->head = (p->head + 1) % p->limit;
          p->count--;
          queued--;
          slots[n] = s;
          owner[n] = p;
          iov[n].iov_base = pool + (size_t)s * slot_size;
          iov[n].iov_len = slot_len[s];
          memset(&msgs[n].msg_hdr, 0, sizeof msgs[n].msg_hdr);
          msgs[n].msg_hdr.msg_iov = &iov[n];
          msgs[n].msg_hdr.msg_iovlen = 1;
          n++;
        }
      }
      if (n == 0) break;
      int off = 0;
      while (off < n) {
        int r = sendmmsg(ifs[j].fd, msgs + off, (unsigned)(n - off), MSG_DONTWAIT);
        if (r < 0) {
          if (errno == EINTR) continue;
          owner[off]->drop_qdisc++; /* ENOBUFS: the qdisc dropped it; EAGAIN: socket buffer full */
          off++;
          continue;
        }
        for (int m = off; m < off + r; m++) {
          owner[m]->pkts++;
          owner[m]->bytes += iov[m].iov_len;
        }
        off += r;
      }
      for (int m = 0; m < n; m++) free_slots[nfree++] = slots[m];
      if (n < BATCH) break;
    }
    for (int i = 0; i < nif; i++) {
      struct pair *p = &pairs[i][j];
      if (p->count > 0 && slot_due[p->ring[p->head]] < next) next = slot_due[p->ring[p->head]];
    }
  }
  return next;
}

int main(int argc, char **argv) {
  for (int a = 1; a < argc; a++) {
    const char *opt = argv[a];
    if (a + 1 >= argc) usage_error("missing value after", opt);
    const char *val = argv[++a];
    if (!strcmp(opt, "--if")) {
      parse_if(val);
    } else if (!strcmp(opt, "--local")) {
      struct in_addr ad;
      if (nlocal == MAX_LOCAL || inet_pton(AF_INET, val, &ad) != 1) usage_error("bad --local", val);
      locals[nlocal++] = ntohl(ad.s_addr);
    } else if (!strcmp(opt, "--delay")) {
      parse_delay(val);
    } else if (!strcmp(opt, "--limit")) {
      default_limit = (uint32_t)parse_number("bad --limit (packets, 1..1000000)", val, 1, 1000000);
    } else if (!strcmp(opt, "--tick")) {
      tick_ns = 1000u * parse_number("bad --tick (microseconds, 10..100000)", val, 10, 100000);
    } else if (!strcmp(opt, "--mtu")) {
      uint32_t mtu = (uint32_t)parse_number("bad --mtu (bytes, 576..9000)", val, 576, 9000);
      /* a frame is the MTU plus the Ethernet header; a ring frame also holds the tpacket2 header
       * and the sockaddr_ll, and is a power of two so that RING_BLOCK holds whole frames */
      slot_size = (mtu + sizeof(struct ether_header) + 63) & ~63u;
      ring_frame = 2048;
      while (ring_frame < TPACKET_ALIGN(sizeof(struct tpacket2_hdr)) + TPACKET_ALIGN(sizeof(struct sockaddr_ll)) +
                               mtu + sizeof(struct ether_header) + 16)
        ring_frame *= 2;
    } else if (!strcmp(opt, "--stats")) {
      stats_path = val;
    } else {
      usage_error("unknown option", opt);
    }
  }
  if (nif < 2) usage_error("needs at least two --if, got", argc > 1 ? argv[1] : "");

  /* Slots: one per queue place. Anonymous pages are only touched when used, and the LIFO free
   * list keeps reusing the same ones. */
  size_t nslots = 0;
  for (int i = 0; i < nif; i++)
    for (int j = 0; j < nif; j++) {
      if (i == j) continue;
      struct pair *p = &pairs[i][j];
      if (!p->limit) p->limit = default_limit;
      p->ring = calloc(p->limit, sizeof *p->ring);
      if (!p->ring) die("calloc");
      nslots += p->limit;
    }
  if (nslots > UINT32_MAX / 2) usage_error("queues too large", "");
  pool = mmap(NULL, nslots * slot_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (pool == MAP_FAILED) die("mmap");
  slot_len = calloc(nslots, sizeof *slot_len);
  slot_due = calloc(nslots, sizeof *slot_due);
  free_slots = calloc(nslots, sizeof *free_slots);
  if (!slot_len || !slot_due || !free_slots) die("calloc");
  for (size_t s = nslots; s > 0; s--) free_slots[nfree++] = (uint32_t)(s - 1);

  for (int k = 0; k < nif; k++) open_iface(&ifs[k]);

  sigset_t block, wait_mask;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGINT);
  sigprocmask(SIG_BLOCK, &block, &wait_mask); /* signals arrive only inside ppoll */
  sigdelset(&wait_mask, SIGUSR1);
  sigdelset(&wait_mask, SIGTERM);
  sigdelset(&wait_mask, SIGINT);
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  prctl(PR_SET_TIMERSLACK, 1000UL); /* 1 us: the tick is the only batching wanted */

  printf("delayfwd: forwarding between %d interfaces, %zu queue slots, tick %llu us\n", nif, nslots,
         (unsigned long long)(tick_ns / 1000));
  fflush(stdout);
  struct pollfd pfd[MAX_IF];
  for (int k = 0; k < nif; k++) pfd[k] = (struct pollfd){.fd = ifs[k].fd, .events = POLLIN};
  int idle = IDLE_TICKS;
  uint64_t tick = now_ns(), next_due = UINT64_MAX;
  while (!want_exit) {
    if (idle >= IDLE_TICKS) {
      /* Nothing arriving: sleep until a ring has a frame or the next queued frame is due. */
      struct timespec wait, *wp = NULL;
      if (next_due != UINT64_MAX) {
        uint64_t now = now_ns(), at = next_due; /* a lone frame leaves on time */
        uint64_t d = at > now ? at - now : 0;
        wait = (struct timespec){.tv_sec = (time_t)(d / 1000000000u), .tv_nsec = (long)(d % 1000000000u)};
        wp = &wait;
      }
      if (ppoll(pfd, (nfds_t)nif, wp, &wait_mask) < 0 && errno != EINTR) die("ppoll");
      tick = now_ns();
    } else {
      tick += tick_ns;
      uint64_t now = now_ns();
      if (tick > now) {
        struct timespec sleep = {.tv_sec = (time_t)((tick - now) / 1000000000u),
                                 .tv_nsec = (long)((tick - now) % 1000000000u)};
        if (ppoll(NULL, 0, &sleep, &wait_mask) < 0 && errno != EINTR) die("ppoll");
      } else {
        tick = now; /* fell behind: do not try to catch up with missed ticks */
      }
    }
    if (want_stats) {
      want_stats = 0;
      dump_stats();
    }
    sync_clocks();
    uint64_t now = now_ns();
    int got = 0;
    for (int k = 0; k < nif; k++) got += receive(k, now);
    idle = got > 0 ? 0 : idle + 1;
    /* Send what is due by the middle of the next tick: each release is off by at most half a tick. */
    next_due = queued > 0 ? release(now + tick_ns / 2) : UINT64_MAX;
  }
  dump_stats();
  return 0;
}
