// SPDX-License-Identifier: GPL-2.0-only
//
// The host side of a live case: probe what the machine offers, and build,
// pin and observe one scenario in a fresh child process (core/live/live.h).
// io_uring is reached through its raw system calls (io_uring_setup,
// io_uring_register): registration needs no ring traffic, so liburing would
// add a build dependency for two syscalls.
#include "core/live/host_child.h"

#include <fcntl.h>
#include <linux/io_uring.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/kernel/hex.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 0x01
#endif

namespace gupfuzz::live {

namespace {

constexpr unsigned long kPage = 4096;
constexpr unsigned long kGiB = 1UL << 30;

std::string errno_words(int e) { return harness::errno_name(-static_cast<long>(e)); }

std::string read_first_line(const char* path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

// A file of `pages` pages of data under dir, already unlinked; -errno on failure.
int scratch_file(const std::string& dir, unsigned long pages, std::string* why) {
    std::string tmpl = dir + "/gupfuzz-live-XXXXXX";
    int fd = mkstemp(tmpl.data());
    if (fd < 0) {
        *why = "mkstemp in " + dir + ": " + errno_words(errno);
        return -1;
    }
    unlink(tmpl.c_str());
    if (pages) {
        char buf[kPage];
        std::memset(buf, 0xa5, sizeof buf);
        for (unsigned long i = 0; i < pages; ++i)
            if (pwrite(fd, buf, sizeof buf, static_cast<off_t>(i * kPage)) != static_cast<ssize_t>(sizeof buf)) {
                *why = "writing the scratch file: " + errno_words(errno);
                close(fd);
                return -1;
            }
        if (fsync(fd) != 0) {
            *why = "fsync of the scratch file: " + errno_words(errno);
            close(fd);
            return -1;
        }
    }
    return fd;
}

int reopen(int fd, int flags) {
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    return open(path.c_str(), flags);
}

}  // namespace

HostInfo probe_host(const std::string& tmpdir_arg) {
    HostInfo h;
    utsname u{};
    if (uname(&u) == 0)
        h.kernel = std::string(u.sysname) + " " + u.release;
    h.tmpdir = tmpdir_arg.empty() ? (std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") : tmpdir_arg;

    // io_uring: the sysctl, then a real ring.
    const std::string disabled = read_first_line("/proc/sys/kernel/io_uring_disabled");
    io_uring_params p{};
    const long fd = syscall(__NR_io_uring_setup, 1, &p);
    if (fd >= 0) {
        h.io_uring = true;
        close(static_cast<int>(fd));
    } else {
        h.io_uring_why = "io_uring_setup: " + errno_words(errno) +
                         (disabled.empty() ? "" : " (/proc/sys/kernel/io_uring_disabled = " + disabled + ")");
    }

    // The temporary directory's filesystem, and O_DIRECT on it.
    struct statfs sf{};
    if (statfs(h.tmpdir.c_str(), &sf) == 0) {
        switch (static_cast<unsigned long>(sf.f_type)) {
            case 0xEF53: h.tmpdir_fs = "ext4"; h.tmpdir_disk = true; break;
            case 0x58465342: h.tmpdir_fs = "xfs"; h.tmpdir_disk = true; break;
            case 0x9123683E: h.tmpdir_fs = "btrfs"; h.tmpdir_disk = true; break;
            case 0x01021994: h.tmpdir_fs = "tmpfs"; break;
            case 0x794c7630: h.tmpdir_fs = "overlayfs"; break;
            default: h.tmpdir_fs = "filesystem magic " + kernel::hex(static_cast<unsigned long>(sf.f_type)); break;
        }
    } else {
        h.tmpdir_fs = "statfs " + h.tmpdir + ": " + errno_words(errno);
    }
    {
        std::string why;
        const int f = scratch_file(h.tmpdir, 1, &why);
        if (f < 0) {
            h.odirect_why = why;
        } else {
            const int d = reopen(f, O_RDWR | O_DIRECT);
            void* buf = mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (d < 0) {
                h.odirect_why = "open(O_DIRECT) in " + h.tmpdir + " (" + h.tmpdir_fs + "): " + errno_words(errno);
            } else if (buf == MAP_FAILED || pread(d, buf, kPage, 0) != static_cast<ssize_t>(kPage)) {
                h.odirect_why = "an O_DIRECT read in " + h.tmpdir + " (" + h.tmpdir_fs + "): " + errno_words(errno);
            } else if (!h.tmpdir_disk) {
                h.odirect_why = h.tmpdir + " is " + h.tmpdir_fs +
                                ", not a disk filesystem: its O_DIRECT copies instead of pinning";
            } else {
                h.odirect = true;
            }
            if (buf != MAP_FAILED)
                munmap(buf, kPage);
            if (d >= 0)
                close(d);
            close(f);
        }
    }

    // pfns in pagemap (CAP_SYS_ADMIN), on a page we touch.
    {
        auto* page = static_cast<volatile char*>(
            mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        if (page != MAP_FAILED) {
            page[0] = 1;
            const int pm = open("/proc/self/pagemap", O_RDONLY);
            std::uint64_t e = 0;
            if (pm >= 0 &&
                pread(pm, &e, sizeof e, static_cast<off_t>(reinterpret_cast<unsigned long>(page) / kPage * 8)) == 8)
                h.pfns = (e >> 63) && (e & ((1ULL << 55) - 1));
            if (pm >= 0)
                close(pm);
            munmap(const_cast<char*>(page), kPage);
        }
    }
    rlimit rl{};
    if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0)
        h.memlock = rl.rlim_cur;
    {
        std::ifstream st("/proc/self/status");
        for (std::string line; std::getline(st, line);)
            if (line.rfind("CapEff:", 0) == 0)
                h.cap_ipc_lock = (std::strtoull(line.c_str() + 7, nullptr, 16) >> 14) & 1;  // CAP_IPC_LOCK = 14
    }
    const std::string thp = read_first_line("/sys/kernel/mm/transparent_hugepage/enabled");
    if (thp.find("[always]") != std::string::npos) h.thp = static_cast<int>(kernel::ThpMode::always);
    else if (thp.find("[madvise]") != std::string::npos) h.thp = static_cast<int>(kernel::ThpMode::madvise);
    else if (thp.find("[never]") != std::string::npos) h.thp = static_cast<int>(kernel::ThpMode::never);
    {
        std::ifstream mi("/proc/meminfo");
        for (std::string line; std::getline(mi, line);)
            if (line.rfind("HugePages_Free:", 0) == 0)
                h.hugepages_free = std::strtoul(line.c_str() + 15, nullptr, 10);
    }
#ifdef __NR_memfd_secret
    const long sfd = syscall(__NR_memfd_secret, 0);
    if (sfd >= 0) {
        h.memfd_secret = true;
        close(static_cast<int>(sfd));
    }
#endif
    return h;
}

std::string HostInfo::describe() const {
    static const char* thp_names[] = {"always", "madvise", "never"};
    std::ostringstream o;
    o << "host kernel: " << kernel << "\n";
    o << "io_uring: " << (io_uring ? "available (IORING_REGISTER_BUFFERS pins FOLL_WRITE|FOLL_LONGTERM)" : "UNAVAILABLE: " + io_uring_why) << "\n";
    o << "O_DIRECT: " << (odirect ? "available in " + tmpdir + " (" + tmpdir_fs + ")" : "UNAVAILABLE: " + odirect_why) << "\n";
    o << "temporary directory: " << tmpdir << " (" << tmpdir_fs << (tmpdir_disk ? ", a disk filesystem" : ", not a disk filesystem") << ")\n";
    o << "pagemap pfns: " << (pfns ? "visible (CAP_SYS_ADMIN): the call's page replacements are compared" : "hidden (no CAP_SYS_ADMIN): pfns are not compared") << "\n";
    o << "CAP_IPC_LOCK: " << (cap_ipc_lock ? "yes (io_uring does not account RLIMIT_MEMLOCK)" : "no (io_uring accounts RLIMIT_MEMLOCK = " + std::to_string(memlock) + " bytes)") << "\n";
    o << "THP: " << (thp >= 0 ? thp_names[thp] : "unknown") << "; free 2 MiB huge pages: " << hugepages_free << "\n";
    o << "memfd_secret: " << (memfd_secret ? "available (no scenario names it yet)" : "unavailable") << "\n";
    return o.str();
}

// ---------------------------------------------------------------------------
// The child.

namespace {

sigjmp_buf g_touch_env;
volatile sig_atomic_t g_touch_sig = 0;

void touch_handler(int sig) {
    g_touch_sig = sig;
    siglongjmp(g_touch_env, 1);
}

struct Child {
    const HostJob& job;
    ChildResult* out;
    std::string notes;

    void note(const std::string& n) { notes += n + "\n"; }
    [[noreturn]] void fail(const std::string& why) {
        std::snprintf(out->error, sizeof out->error, "%s", why.c_str());
        finish();
    }
    std::vector<pid_t> siblings;  // fork()ed for `pre cowshare`, each still mapping its page

    [[noreturn]] void finish() {
        for (pid_t sib : siblings) {
            kill(sib, SIGKILL);
            while (waitpid(sib, nullptr, 0) < 0 && errno == EINTR) {
            }
        }
        std::snprintf(out->notes, sizeof out->notes, "%s", notes.c_str());
        out->done = 1;
        _exit(0);
    }

    void snapshot(int pm, std::uint64_t* to) {
        const unsigned long first = (job.observe_start + out->delta) / kPage;
        for (unsigned long i = 0; i < job.observe_pages;) {
            const unsigned long n = std::min<unsigned long>(512, job.observe_pages - i);
            const ssize_t want = static_cast<ssize_t>(n * 8);
            if (pread(pm, to + i, static_cast<size_t>(want), static_cast<off_t>((first + i) * 8)) != want)
                fail("reading /proc/self/pagemap: " + errno_words(errno));
            i += n;
        }
    }

    void touch(unsigned long addr, unsigned long pages, bool write, const std::string& what) {
        struct sigaction sa{}, old_segv{}, old_bus{};
        sa.sa_handler = touch_handler;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_NODEFER;
        sigaction(SIGSEGV, &sa, &old_segv);
        sigaction(SIGBUS, &sa, &old_bus);
        for (unsigned long i = 0; i < pages; ++i) {
            auto* p = reinterpret_cast<volatile char*>(addr + out->delta + i * kPage);
            if (sigsetjmp(g_touch_env, 1) == 0) {
                if (write)
                    *p = 0x5a;
                else
                    (void)*p;
            } else {
                // The task would have died here: the rest of the operation never happens.
                note(what + ": page " + kernel::hex(addr + i * kPage) + " took " +
                     (g_touch_sig == SIGBUS ? "SIGBUS" : "SIGSEGV") + "; the operation ends there");
                break;
            }
        }
        sigaction(SIGSEGV, &old_segv, nullptr);
        sigaction(SIGBUS, &old_bus, nullptr);
    }

    // `pre cowshare ADDR`: fork(), and the child keeps mapping only the page at
    // ADDR (it unmaps the rest of the span and waits), so that page alone is
    // COW-shared, as the model's share_for_fork does it.  Like the model, only
    // an anonymous page is shared (pagemap: present, not file/shared).
    void cowshare(int pm, unsigned long addr) {
        const unsigned long a = addr + out->delta;
        std::uint64_t e = 0;
        if (pread(pm, &e, sizeof e, static_cast<off_t>(a / kPage * 8)) != 8)
            fail("reading /proc/self/pagemap: " + errno_words(errno));
        if (!((e >> 63) & 1) || ((e >> 61) & 1)) {
            note("pre cowshare " + kernel::hex(addr) + ": no anonymous page is mapped there (skipped)");
            return;
        }
        int ready[2];
        if (pipe(ready) != 0)
            fail("pipe: " + errno_words(errno));
        std::fflush(nullptr);
        const pid_t pid = fork();
        if (pid < 0)
            fail("fork for pre cowshare: " + errno_words(errno));
        if (pid == 0) {
            // Dies with the case's child, however that ends (its 60 s alarm included).
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() == 1)
                _exit(1);
            const unsigned long lo = job.span_lo + out->delta, hi = job.span_hi + out->delta;
            if (a > lo)
                munmap(reinterpret_cast<void*>(lo), a - lo);
            if (hi > a + kPage)
                munmap(reinterpret_cast<void*>(a + kPage), hi - a - kPage);
            char c = 1;
            if (write(ready[1], &c, 1) != 1)
                _exit(1);
            for (;;)
                pause();  // until the case's child kills it (finish)
        }
        close(ready[1]);
        char c = 0;
        const bool ok = read(ready[0], &c, 1) == 1;
        close(ready[0]);
        siblings.push_back(pid);
        if (!ok)
            fail("the pre cowshare sibling did not start");
    }

    [[noreturn]] void run() {
        alarm(60);
        const harness::Scenario& s = job.scenario;
        // 1. Reserve the whole span, at the scenario's addresses if free.
        const unsigned long lo = job.span_lo, hi = job.span_hi, span = hi - lo;
        void* r = mmap(reinterpret_cast<void*>(lo), span, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
        if (r == reinterpret_cast<void*>(lo)) {
            out->delta = 0;
        } else {
            if (r != MAP_FAILED)
                munmap(r, span);
            // A consistent relocation: one delta for every address, a multiple of 1 GiB
            // so that 2 MiB (THP) and 1 GiB alignments are kept.
            void* b = mmap(nullptr, span + kGiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
            if (b == MAP_FAILED)
                fail("reserving " + std::to_string(span) + " bytes: " + errno_words(errno));
            const unsigned long base = reinterpret_cast<unsigned long>(b);
            const unsigned long newlo = base + ((lo - base) & (kGiB - 1));
            if (newlo > base)
                munmap(b, newlo - base);
            if (base + span + kGiB > newlo + span)
                munmap(reinterpret_cast<void*>(newlo + span), base + span + kGiB - (newlo + span));
            out->delta = newlo - lo;
            note("relocated: the scenario's addresses are in use in this process (or reserved by the sanitizer); "
                 "every address moved by " + kernel::hex(out->delta) + " (a multiple of 1 GiB); reports show the scenario's");
        }
        const unsigned long d = out->delta;

        // 2. Files.
        std::vector<int> fds;
        for (std::size_t i = 0; i < s.files.size(); ++i) {
            const harness::FileSpec& f = s.files[i];
            int fd = -1;
            if (f.kind == kernel::FileKind::shmem) {
                fd = static_cast<int>(syscall(__NR_memfd_create, "gupfuzz-live", 0));
                if (fd < 0)
                    fail("memfd_create for file " + std::to_string(i) + ": " + errno_words(errno));
            } else {
                std::string why;
                fd = scratch_file(job.tmpdir, 0, &why);
                if (fd < 0)
                    fail("file " + std::to_string(i) + ": " + why);
            }
            if (ftruncate(fd, static_cast<off_t>(f.size_pages * kPage)) != 0)
                fail("ftruncate of file " + std::to_string(i) + ": " + errno_words(errno));
            fds.push_back(fd);
        }

        // 3. The vmas, then the holes between them.
        unsigned long cursor = lo;
        for (std::size_t i = 0; i < s.vmas.size(); ++i) {
            const harness::VmaSpec& v = s.vmas[i];
            if (v.start > cursor)
                munmap(reinterpret_cast<void*>(cursor + d), v.start - cursor);
            cursor = v.end;
            const int prot = (v.read ? PROT_READ : 0) | (v.write ? PROT_WRITE : 0) | (v.exec ? PROT_EXEC : 0);
            int flags = MAP_FIXED | (v.shared ? MAP_SHARED : MAP_PRIVATE);
            int fd = -1;
            if (v.file < 0)
                flags |= MAP_ANONYMOUS;
            else
                fd = fds[static_cast<std::size_t>(v.file)];
            if (v.growsdown)
                flags |= MAP_GROWSDOWN;
            int ro = -1;
            if (!v.maywrite) {
                ro = reopen(fd, O_RDONLY);
                if (ro < 0)
                    fail("reopening file " + std::to_string(v.file) + " read-only: " + errno_words(errno));
                fd = ro;
            }
            void* m = mmap(reinterpret_cast<void*>(v.start + d), v.end - v.start, prot, flags, fd,
                           static_cast<off_t>(v.pgoff * kPage));
            if (m != reinterpret_cast<void*>(v.start + d))
                fail("mmap of vma " + std::to_string(i) + ": " + errno_words(errno));
            if (ro >= 0)
                close(ro);
            const int adv = job.thp_madvise[i];
            if (adv && madvise(m, v.end - v.start, adv > 0 ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) != 0)
                fail("madvise(" + std::string(adv > 0 ? "MADV_HUGEPAGE" : "MADV_NOHUGEPAGE") + ") of vma " +
                     std::to_string(i) + ": " + errno_words(errno));
            if (v.locked && syscall(__NR_mlock2, m, v.end - v.start, MLOCK_ONFAULT) != 0)
                fail("mlock2(MLOCK_ONFAULT) of vma " + std::to_string(i) + ": " + errno_words(errno));
        }
        if (hi > cursor)
            munmap(reinterpret_cast<void*>(cursor + d), hi - cursor);

        // 4. The pre-state: the task's own touches and forks (the planner let nothing else through).
        const int pm = open("/proc/self/pagemap", O_RDONLY);
        if (pm < 0)
            fail("opening /proc/self/pagemap: " + errno_words(errno));
        for (const harness::PreOp& op : s.pre) {
            if (op.kind == harness::PreKind::cowshare)
                cowshare(pm, op.addr);
            else
                touch(op.addr, op.pages, op.kind == harness::PreKind::touch_write,
                      std::string("pre ") + harness::pre_kind_name(op.kind) + " " + kernel::hex(op.addr));
        }

        // 5. What the call needs besides the layout.
        const unsigned long start = s.call.start + d, nr = s.call.nr_pages;
        const unsigned long len = nr * kPage - (s.call.start & (kPage - 1));
        int dio = -1;
        void* local = nullptr;
        if (job.entry == HostEntry::odirect_read || job.entry == HostEntry::odirect_write) {
            std::string why;
            const int f = scratch_file(job.tmpdir, nr, &why);
            if (f < 0)
                fail("O_DIRECT scratch file: " + why);
            dio = reopen(f, O_RDWR | O_DIRECT);
            if (dio < 0)
                fail("open(O_DIRECT): " + errno_words(errno));
            close(f);
        } else if (job.entry == HostEntry::process_vm_readv || job.entry == HostEntry::process_vm_writev) {
            local = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
            if (local == MAP_FAILED)
                fail("the local buffer: " + errno_words(errno));
            std::memset(local, 0x3c, len);
        }
        snapshot(pm, out->before);

        // 6. The call, as the host caller makes it.
        long rc = 0;
        std::string words;
        int ring = -1;
        switch (job.entry) {
            case HostEntry::io_uring_register: {
                io_uring_params p{};
                ring = static_cast<int>(syscall(__NR_io_uring_setup, 1, &p));
                if (ring < 0)
                    fail("io_uring_setup: " + errno_words(errno));
                iovec iov{reinterpret_cast<void*>(start), len};
                const long r = syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS, &iov, 1);
                rc = r < 0 ? -errno : 0;
                words = "io_uring_register(IORING_REGISTER_BUFFERS, {" + kernel::hex(start) + ", " +
                        std::to_string(len) + "}) = " + (r < 0 ? errno_words(errno) : std::string("0"));
                break;
            }
            case HostEntry::odirect_read:
            case HostEntry::odirect_write: {
                const bool rd = job.entry == HostEntry::odirect_read;
                const ssize_t n = rd ? pread(dio, reinterpret_cast<void*>(start), len, 0)
                                     : pwrite(dio, reinterpret_cast<void*>(start), len, 0);
                rc = n < 0 ? -errno : static_cast<long>((static_cast<unsigned long>(n) + kPage - 1) / kPage);
                words = std::string(rd ? "pread" : "pwrite") + "(O_DIRECT, " + kernel::hex(start) + ", " +
                        std::to_string(len) + ") = " + (n < 0 ? errno_words(errno) : std::to_string(n) + " bytes");
                break;
            }
            case HostEntry::process_vm_readv:
            case HostEntry::process_vm_writev: {
                const bool wr = job.entry == HostEntry::process_vm_writev;
                iovec l{local, len}, rem{reinterpret_cast<void*>(start), len};
                const ssize_t n = wr ? process_vm_writev(getpid(), &l, 1, &rem, 1, 0)
                                     : process_vm_readv(getpid(), &l, 1, &rem, 1, 0);
                rc = n < 0 ? -errno : static_cast<long>((static_cast<unsigned long>(n) + kPage - 1) / kPage);
                words = std::string(wr ? "process_vm_writev" : "process_vm_readv") + "(self, remote {" +
                        kernel::hex(start) + ", " + std::to_string(len) + "}) = " +
                        (n < 0 ? errno_words(errno) : std::to_string(n) + " bytes");
                break;
            }
        }
        out->rc = rc;
        std::snprintf(out->rc_words, sizeof out->rc_words, "%s", words.c_str());
        // 7. pagemap after (io_uring: while the buffer is still registered).
        snapshot(pm, out->after);
        if (ring >= 0)
            close(ring);  // unregisters: io_rsrc_data_free unpins
        out->ran = 1;
        finish();
    }
};

}  // namespace

void run_host_child(const HostJob& job, SideResult* result) {
    const std::size_t bytes = sizeof(ChildResult);
    void* shm = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shm == MAP_FAILED) {
        result->error = "mmap of the result area: " + errno_words(errno);
        return;
    }
    auto* out = new (shm) ChildResult();
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) {
        result->error = "fork: " + errno_words(errno);
        munmap(shm, bytes);
        return;
    }
    if (pid == 0) {
        Child c{job, out, {}, {}};
        c.run();
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status) || !out->done) {
        result->error = WIFSIGNALED(status) ? "the host child was ended by signal " + std::to_string(WTERMSIG(status)) +
                                                   (WTERMSIG(status) == SIGALRM ? " (60 s timeout)" : "")
                                            : "the host child exited (" + std::to_string(WEXITSTATUS(status)) +
                                                  ") before reporting";
    } else if (out->error[0]) {
        result->error = out->error;
    }
    std::istringstream notes(out->notes);
    for (std::string line; std::getline(notes, line);)
        if (!line.empty())
            result->notes.push_back(line);
    if (out->ran && result->error.empty()) {
        result->ran = true;
        result->rc = out->rc;
        result->rc_words = out->rc_words;
        auto decode = [](std::uint64_t e) {
            PageState p;
            p.present = (e >> 63) & 1;
            p.file = (e >> 61) & 1;
            p.exclusive = (e >> 56) & 1;
            p.pfn = (p.present && !((e >> 62) & 1)) ? (e & ((1ULL << 55) - 1)) : 0;
            return p;
        };
        for (unsigned long i = 0; i < job.observe_pages; ++i) {
            result->before.push_back(decode(out->before[i]));
            result->after.push_back(decode(out->after[i]));
        }
    }
    result->delta = out->delta;
    out->~ChildResult();
    munmap(shm, bytes);
}

}  // namespace gupfuzz::live
