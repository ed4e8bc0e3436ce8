// synthetic.h
//
// LA- and national-scale synthetic registers for the engine's benchmark and
// tests: N pupils in schools of a given size, one academic year, a few
// term-date patterns (as an LA's schools share them), and attendance drawn
// per pupil from a skewed absence rate so that roughly the national shares
// of persistent and severe absence appear, with illness spells, unauthorised
// holidays, lateness, unresolved N, mid-year joiners and leavers, cohorts
// and penalty history. Deterministic for a seed whatever the thread count.
#pragma once

#include <cstdint>

#include "engine/column_store.h"

namespace rollcall::engine {

struct SyntheticOptions {
  int64_t pupils = 1000;
  int64_t school_size = 400;
  int academic_year = 2024;  // the year starting 1 August 2024
  uint64_t seed = 1;
  int threads = 0;  // <= 0: one per core
};

// The cohort tags generated, with the share of pupils carrying each.
inline constexpr const char* kSyntheticCohorts[] = {"ehcp",        "fsm",           "looked_after",
                                                    "sen_support", "social_worker", "young_carer"};

Dataset GenerateDataset(const SyntheticOptions& options);

// The day the benchmark evaluates a generated year: its last school day.
core::Date SyntheticAsOf(const SyntheticOptions& options);

}  // namespace rollcall::engine
