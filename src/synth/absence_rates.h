// absence_rates.h
//
// How absent a pupil tends to be, taken from the national distribution of
// absence among similar pupils: the DfE counts of pupils in 5%-wide absence
// bands by NC year, free school meals and special educational needs
// (absence_bands.inc, 2022/23). A pupil's quantile in that distribution is a
// uniform number the caller draws, so one pupil can keep a quantile from year
// to year while their NC year changes. Pure table arithmetic, no libm.
#pragma once

namespace rollcall::synth {

// The absence rate (0 to 1 of possible sessions) at quantile `u` (0 <= u < 1)
// of the national distribution for NC year `nc_year` (0 = Reception, which
// uses Year 1's; clamped to 0-11), FSM eligibility and any SEN (support or
// EHC plan). Within a band, rates lean towards the band's lower edge (the 50%+
// band runs to 90%), as the national mean implies.
double AbsenceRateAtQuantile(int nc_year, bool fsm, bool any_sen, double u);

}  // namespace rollcall::synth
