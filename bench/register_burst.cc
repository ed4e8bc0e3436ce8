// register_burst: the writers of the school-morning load benchmark
// (bench/load_bench.py). Each thread is one class: it logs in, then PUTs one
// mark per pupil of its register with a random think time between marks, over
// its own keep-alive connection, and times every PUT. All threads log in
// before any starts its register. A C++ client, so that
// the client's own overhead (Python's GIL with 60 threads) is not measured.
//
// Usage: register_burst PORT USERNAME PASSWORD THINK_MS FILE SEED
// FILE has one register per line: "DATE SESSION PUPIL_ID PUPIL_ID ...".
// Prints "latencies_ms: a b c ...", "errors: N" and "changed: N" (PUTs that
// wrote) on stdout.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Reply {
  int status = 0;
  std::string headers;
  std::string body;
};

class Connection {
 public:
  explicit Connection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      std::perror("connect");
      std::exit(1);
    }
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~Connection() { close(fd_); }

  // One request on the keep-alive connection; status 0 on a broken socket.
  Reply Send(const std::string& request) {
    Reply reply;
    if (write(fd_, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
      return reply;
    }
    std::string data;
    char buf[8192];
    size_t header_end = std::string::npos;
    size_t length = 0;
    while (true) {
      const ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) return reply;
      data.append(buf, static_cast<size_t>(n));
      if (header_end == std::string::npos) {
        header_end = data.find("\r\n\r\n");
        if (header_end == std::string::npos) continue;
        const size_t cl = data.find("Content-Length: ");
        length = cl == std::string::npos ? 0 : std::stoul(data.substr(cl + 16));
      }
      if (data.size() >= header_end + 4 + length) break;
    }
    reply.status = std::atoi(data.c_str() + 9);
    reply.headers = data.substr(0, header_end);
    reply.body = data.substr(header_end + 4, length);
    return reply;
  }

 private:
  int fd_ = -1;
};

std::string Between(const std::string& s, const std::string& from, const std::string& to) {
  const size_t a = s.find(from);
  if (a == std::string::npos) return "";
  const size_t b = s.find(to, a + from.size());
  return s.substr(a + from.size(), b - a - from.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: register_burst PORT USERNAME PASSWORD THINK_MS FILE SEED\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const std::string username = argv[2];
  const std::string password = argv[3];
  const double think_ms = std::atof(argv[4]);
  const uint32_t seed = static_cast<uint32_t>(std::atoi(argv[6]));
  std::vector<std::vector<std::string>> registers;
  std::ifstream in(argv[5]);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::vector<std::string> reg;
    for (std::string w; words >> w;) reg.push_back(w);
    if (reg.size() >= 3) registers.push_back(reg);
  }
  std::mutex mu;
  std::vector<double> latencies;
  int errors = 0;
  int changed = 0;  // PUTs that wrote a mark and its audit row
  std::vector<std::thread> threads;
  std::barrier start_line(static_cast<std::ptrdiff_t>(registers.size()));
  for (size_t t = 0; t < registers.size(); ++t) {
    threads.emplace_back([&, t] {
      const std::vector<std::string>& reg = registers[t];
      Connection conn(port);
      const std::string login_body =
          "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
      Reply login = conn.Send(
          "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          "Content-Type: application/json\r\nContent-Length: " +
          std::to_string(login_body.size()) + "\r\n\r\n" + login_body);
      const std::string cookie = Between(login.headers, "Set-Cookie: ", ";");
      const std::string csrf = Between(login.body, "\"csrf_token\":\"", "\"");
      if (login.status != 200 || cookie.empty()) {
        std::lock_guard lock(mu);
        ++errors;
      }
      // Everyone logs in first (teachers at 08:40), then registers start.
      start_line.arrive_and_wait();
      if (login.status != 200 || cookie.empty()) return;
      std::mt19937 rng(seed * 1000 + static_cast<uint32_t>(t));
      std::uniform_real_distribution<double> think(0, 2 * think_ms);
      // Codes that differ from the demo's (mostly present) marks and from the
      // other seed's, so that nearly every PUT really writes a mark and its
      // audit row (a mark equal to the stored one writes nothing).
      const char* odd[] = {"I", "M"};
      const char* even[] = {"O", "G"};
      const char** codes = seed % 2 ? odd : even;
      for (size_t i = 2; i < reg.size(); ++i) {
        std::this_thread::sleep_for(
            std::chrono::microseconds(static_cast<int64_t>(think(rng) * 1000)));
        const std::string code = codes[rng() % 2];
        const std::string body = "{\"code\":\"" + code + "\",\"reason\":\"load benchmark\"}";
        const std::string request =
            "PUT /api/v1/registers/" + reg[0] + "/" + reg[1] + "/marks/" + reg[i] +
            " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            "application/json\r\nCookie: " +
            cookie + "\r\nX-CSRF-Token: " + csrf +
            "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        const auto start = std::chrono::steady_clock::now();
        Reply reply = conn.Send(request);
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        std::lock_guard lock(mu);
        latencies.push_back(ms);
        if (reply.status != 200) ++errors;
        if (reply.body.find("\"changed\":true") != std::string::npos) ++changed;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  std::printf("latencies_ms:");
  for (double l : latencies) std::printf(" %.3f", l);
  std::printf("\nerrors: %d\nchanged: %d\n", errors, changed);
  return 0;
}
