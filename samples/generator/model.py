"""The case plan: parties, officers, dates and the documents (文书) with their truth attributes."""
from dataclasses import dataclass, field

# doc-types.md: which types need the agency seal / the party's signature / two officers
SEAL_TYPES = {"service_receipt", "prior_notice", "penalty_decision", "onsite_penalty_decision",
              "supplement_notice", "acceptance_notice", "license_decision", "license_certificate",
              "seizure_decision", "extension_decision", "release_decision", "inspection_notice",
              "rectification_notice", "levy_decision", "confirmation_decision"}
PARTY_TYPES = {"evidence", "service_receipt", "inspection_record", "inquiry_record", "statement_record",
               "hearing_record", "onsite_penalty_decision", "license_application", "review_record",
               "onsite_record", "seizure_list", "rectification_notice", "rectification_review"}
OFFICER_TYPES = {"inspection_record", "inquiry_record", "statement_record", "hearing_record",
                 "review_record", "onsite_record", "seizure_list", "rectification_notice",
                 "rectification_review", "onsite_penalty_decision"}
UNNUMBERED = {"cover", "toc", "backup_note"}


@dataclass
class Doc:
    type: str
    title: str                      # printed title (canonical or a variant)
    date: object = None             # datetime.date of the document (落款 / record / approval)
    docno: str = None               # 文号 printed under the title
    seal: dict = None               # seal spec (artwork.seal_spec) or None
    extra_seals: list = field(default_factory=list)   # non-agency stamps (bank 转讫 …)
    party_signed: bool = None       # None for types without a party signature
    officers: list = field(default_factory=list)       # [{"name", "certificate"}]
    fields: dict = field(default_factory=dict)
    footer_sig: str = None          # label repeated at the foot of every page (笔录)
    letterhead: bool = False        # red 红头 (trap)
    blocks: list = field(default_factory=list)
    attrs: dict = field(default_factory=dict)         # builder parameters (flags set by defects)

    @property
    def needs_seal(self):
        return self.type in SEAL_TYPES

    @property
    def numbered(self):
        return self.type not in UNNUMBERED


@dataclass
class Case:
    case_type: str
    procedure: str
    place: str
    agency_def: dict
    agency: str
    abbr: str                       # 东市监
    gov: str
    court: str
    party: dict
    officers: list
    matter: dict
    dates: dict
    docs: list = field(default_factory=list)
    defects: list = field(default_factory=list)
    style: dict = field(default_factory=dict)
    file_stem: str = ""
    seq: int = 1
