"""The 16 regional IQ networks, one per federal state, by ISO 3166-2:DE code."""

from enum import StrEnum


class Region(StrEnum):
    BW = "DE-BW"
    BY = "DE-BY"
    BE = "DE-BE"
    BB = "DE-BB"
    HB = "DE-HB"
    HH = "DE-HH"
    HE = "DE-HE"
    MV = "DE-MV"
    NI = "DE-NI"
    NW = "DE-NW"
    RP = "DE-RP"
    SL = "DE-SL"
    SN = "DE-SN"
    ST = "DE-ST"
    SH = "DE-SH"
    TH = "DE-TH"

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self]


STATE_NAMES: dict[Region, str] = {
    Region.BW: "Baden-Württemberg",
    Region.BY: "Bayern",
    Region.BE: "Berlin",
    Region.BB: "Brandenburg",
    Region.HB: "Bremen",
    Region.HH: "Hamburg",
    Region.HE: "Hessen",
    Region.MV: "Mecklenburg-Vorpommern",
    Region.NI: "Niedersachsen",
    Region.NW: "Nordrhein-Westfalen",
    Region.RP: "Rheinland-Pfalz",
    Region.SL: "Saarland",
    Region.SN: "Sachsen",
    Region.ST: "Sachsen-Anhalt",
    Region.SH: "Schleswig-Holstein",
    Region.TH: "Thüringen",
}

# A process that is not bound to one region (the national reporting) says so explicitly.
NATIONAL = "national"
