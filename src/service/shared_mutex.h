// shared_mutex.h
//
// A reader-writer lock that prefers writers. std::shared_mutex on glibc
// prefers readers: under a steady stream of summary reads a register write
// can wait for as long as the readers keep coming. This one (a pthread
// rwlock with PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP) lets a waiting
// writer in before new readers. A thread must not take the shared lock
// twice. Works with std::shared_lock and std::unique_lock.
#pragma once

#include <pthread.h>

#include <cstdlib>

namespace rollcall::service {

class WriterPreferringMutex {
 public:
  WriterPreferringMutex() {
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    if (pthread_rwlock_init(&lock_, &attr) != 0) std::abort();
    pthread_rwlockattr_destroy(&attr);
  }
  ~WriterPreferringMutex() { pthread_rwlock_destroy(&lock_); }
  WriterPreferringMutex(const WriterPreferringMutex&) = delete;
  WriterPreferringMutex& operator=(const WriterPreferringMutex&) = delete;

  void lock() { pthread_rwlock_wrlock(&lock_); }
  bool try_lock() { return pthread_rwlock_trywrlock(&lock_) == 0; }
  void unlock() { pthread_rwlock_unlock(&lock_); }
  void lock_shared() { pthread_rwlock_rdlock(&lock_); }
  bool try_lock_shared() { return pthread_rwlock_tryrdlock(&lock_) == 0; }
  void unlock_shared() { pthread_rwlock_unlock(&lock_); }

 private:
  pthread_rwlock_t lock_;
};

}  // namespace rollcall::service
