#include "synth/absence_rates.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace rollcall::synth {
namespace {

struct BandRow {
  int nc_year;
  bool fsm;
  bool any_sen;
  std::array<uint32_t, 11> pupils;  // bands 0-5%, 5-10%, ..., 45-50%, 50%+
};

constexpr BandRow kBands[] = {
#include "synth/absence_bands.inc"
};

const BandRow& RowFor(int nc_year, bool fsm, bool any_sen) {
  const int year = nc_year < 1 ? 1 : (nc_year > 11 ? 11 : nc_year);
  for (const BandRow& row : kBands) {
    if (row.nc_year == year && row.fsm == fsm && row.any_sen == any_sen) return row;
  }
  return kBands[0];  // not reached: the generator checks that all 44 groups exist
}

}  // namespace

double AbsenceRateAtQuantile(int nc_year, bool fsm, bool any_sen, double u) {
  const BandRow& row = RowFor(nc_year, fsm, any_sen);
  double total = 0;
  for (uint32_t count : row.pupils) total += count;
  double x = u * total;
  size_t band = 0;
  while (band + 1 < row.pupils.size() && x >= row.pupils[band]) {
    x -= row.pupils[band];
    ++band;
  }
  const double t = row.pupils[band] == 0 ? 0.5 : x / row.pupils[band];  // position in band
  // The national mean (7.4% in 2022/23) is well below what evenly spread bands
  // give (7.9%): within each band, pupils crowd towards its lower edge.
  if (band == 0) return 0.05 * t * t;  // mean 1.7%
  // 51% to 90%, mean 64%: starting just over 50% keeps rounding and room for
  // late arrivals from dropping a severely absent pupil out of the band.
  if (band + 1 == row.pupils.size()) return 0.51 + 0.39 * t * t;
  return 0.05 * (static_cast<double>(band) + t * (1 + t) / 2);  // density falling 3:1
}

}  // namespace rollcall::synth
