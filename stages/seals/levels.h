// Inside the seals stage: the tone maps that strengthen a pale seal's ink
// (StrengthenedInk), shared with the seal finder, which applies them to the
// pixels it samples instead of to a copy of the page.
#pragma once

#include <array>
#include <cstdint>

#include "models/image.h"

namespace pingcha::seals {

// Per channel (R, G, B): paper to white, then the distance from white
// times `gain`.
using ChannelMaps = std::array<std::array<std::uint8_t, 256>, 3>;
ChannelMaps StrengthMaps(const Image& rgb, double gain);

}  // namespace pingcha::seals
