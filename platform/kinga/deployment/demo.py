"""Synthetic demo data for the standard pack (and overlays of it): deterministic for a given seed and
day, realistic enough to exercise lists, KPIs, deadlines, duplicate detection and tracing.

Every record is written through kinga.records.actions (create_record / update_record /
link_records) and the workflow's transition action, so it passes the same validation as data typed
by a caseworker: nothing is written to the tables directly. Most cases are back-entered whole (one
create_record with the forms filled so far and the status reached, as when paper files are entered
later); a sample goes step by step through the module-style actions.

Nothing here is real: names are drawn from lists of common given names and family names of several
traditions (East African, Arabic transliterations, Somali, francophone Central African).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from kinga.configpacks.runtime import get_active
from kinga.records.actions import create_record, link_records, update_record

# -- names ------------------------------------------------------------------------------------------
TRADITIONS = {
    "east_african": {
        "female": [
            "Neema",
            "Zawadi",
            "Imani",
            "Rehema",
            "Wanjiru",
            "Achieng",
            "Njeri",
            "Faraja",
            "Tumaini",
            "Akinyi",
            "Mwanaisha",
            "Nyokabi",
        ],
        "male": [
            "Baraka",
            "Juma",
            "Amani",
            "Otieno",
            "Kamau",
            "Kheri",
            "Mwangi",
            "Chege",
            "Onyango",
            "Kibet",
            "Makena",
            "Jabari",
        ],
        "family": [
            "Mwangi",
            "Otieno",
            "Ochieng",
            "Kamau",
            "Wanjiku",
            "Nyambura",
            "Kiprono",
            "Mutua",
            "Odhiambo",
            "Njoroge",
            "Wafula",
            "Chebet",
        ],
    },
    "arabic": {
        "female": [
            "Fatima",
            "Aisha",
            "Amina",
            "Maryam",
            "Khadija",
            "Zainab",
            "Layla",
            "Halima",
            "Salma",
            "Nour",
            "Huda",
            "Rania",
        ],
        "male": [
            "Mohamed",
            "Ahmed",
            "Hassan",
            "Hussein",
            "Yusuf",
            "Omar",
            "Ibrahim",
            "Abdullahi",
            "Khalid",
            "Tariq",
            "Mustafa",
            "Bilal",
        ],
        "family": [
            "Hassan",
            "Mohamed",
            "Ali",
            "Omar",
            "Yusuf",
            "Ibrahim",
            "Abdelrahman",
            "Osman",
            "Suleiman",
            "Haroun",
            "Idris",
            "Mahmoud",
        ],
    },
    "somali": {
        "female": [
            "Hodan",
            "Farhiya",
            "Deeqa",
            "Nasra",
            "Ubah",
            "Sahra",
            "Ayaan",
            "Hibaaq",
            "Filsan",
            "Ifrah",
        ],
        "male": [
            "Abdi",
            "Guled",
            "Mahad",
            "Liban",
            "Warsame",
            "Farah",
            "Abdirahman",
            "Bashir",
            "Jama",
            "Said",
        ],
        "family": ["Abdi", "Warsame", "Farah", "Adan", "Jama", "Hersi", "Dahir", "Egal", "Mohamud", "Nur"],
    },
    "francophone": {
        "female": [
            "Esperance",
            "Grace",
            "Josiane",
            "Aline",
            "Marie",
            "Clarisse",
            "Divine",
            "Chantal",
            "Solange",
            "Ange",
        ],
        "male": [
            "Dieudonne",
            "Jean-Baptiste",
            "Patrick",
            "Olivier",
            "Claude",
            "Emmanuel",
            "Fabrice",
            "Innocent",
            "Eric",
            "Thierry",
        ],
        "family": [
            "Niyonzima",
            "Habimana",
            "Uwimana",
            "Mukamana",
            "Ndayishimiye",
            "Lumbala",
            "Mbuyi",
            "Tshibanda",
            "Kabongo",
            "Irakoze",
        ],
    },
}
TRADITION_WEIGHTS = [("east_african", 40), ("arabic", 30), ("somali", 15), ("francophone", 15)]
# Transliteration variants (both directions) used to plant realistic duplicates.
VARIANTS = {
    "Mohamed": "Mohammed",
    "Ahmed": "Ahmad",
    "Fatima": "Fatma",
    "Aisha": "Aicha",
    "Hassan": "Hasan",
    "Hussein": "Husein",
    "Yusuf": "Youssef",
    "Omar": "Umar",
    "Zainab": "Zaynab",
    "Layla": "Leila",
    "Maryam": "Mariam",
    "Khadija": "Khadidja",
    "Abdullahi": "Abdallah",
    "Osman": "Othman",
    "Suleiman": "Sulayman",
    "Ibrahim": "Ebrahim",
    "Mustafa": "Mostafa",
    "Halima": "Haleema",
}
VARIANTS.update({v: k for k, v in list(VARIANTS.items())})
NICKNAMES = ["Toto", "Mdogo", "Junior", "Baby", "Shorty", "Kidogo", "Mimi", "Dodo"]
CODE_NAMES = [
    "Rose",
    "Lily",
    "Jasmine",
    "Sunflower",
    "Orchid",
    "Daisy",
    "Iris",
    "Violet",
    "Lotus",
    "Dahlia",
    "Tulip",
    "Hibiscus",
    "Acacia",
    "Baobab",
    "Cedar",
    "Palm",
    "River",
    "Star",
    "Moon",
    "Dawn",
]
AGENCY_PARTNERS = [
    "Kivania Red Crescent",
    "District Hospital",
    "Legal Aid Clinic",
    "Hope Primary School",
    "Women's Safe Network",
    "Kisaro Health Centre",
    "Child Helpline",
    "Social Protection Office",
]

CONCERNS = [
    ("neglect", 18),
    ("physical_violence", 14),
    ("separated", 12),
    ("unaccompanied", 6),
    ("emotional_abuse", 9),
    ("child_labour", 9),
    ("sexual_violence", 7),
    ("child_marriage", 5),
    ("street_connected", 5),
    ("caafag", 3),
    ("conflict_with_law", 4),
    ("trafficking", 2),
    ("disability_at_risk", 4),
    ("other", 2),
]
SERVICE_SUBTYPES = {
    "health": ["medical_treatment", "disability_services"],
    "psychosocial": ["individual_counselling", "group_activities", "specialised_mental_health"],
    "education": ["school_enrolment", "non_formal_education"],
    "legal": ["legal_counselling", "court_support"],
    "family_tracing": ["tracing", "reunification"],
    "alternative_care": ["kinship_care", "foster_care"],
    "basic_needs": ["cash_assistance", "non_food_items"],
    "documentation": ["birth_certificate"],
}
SERVICE_TYPES = [
    "health",
    "psychosocial",
    "education",
    "legal",
    "family_tracing",
    "alternative_care",
    "basic_needs",
    "shelter",
    "livelihood",
    "safety_security",
    "documentation",
    "nutrition",
]
GBV_TYPES = [
    ("physical_assault", 30),
    ("psychological_abuse", 20),
    ("rape", 18),
    ("denial_of_resources", 14),
    ("sexual_assault", 10),
    ("forced_marriage", 8),
]
GBV_SERVICES = ["health", "psychosocial", "legal", "safety_security", "livelihoods", "shelter"]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 2)
    if rng.random() < 0.5:  # swap two letters
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i + 1 :]  # drop one


@dataclass
class Staff:
    caseworkers: list  # [(user, [province codes])]
    gbv_caseworkers: list
    supervisor_by_agency: dict
    notifier: object = None


@dataclass
class Stats:
    cases: int = 0
    duplicates: int = 0
    siblings: int = 0
    incidents: int = 0
    tracing_requests: int = 0
    notifications: int = 0
    step_by_step: int = 0
    failures: list = field(default_factory=list)


class DemoBuilder:
    def __init__(self, staff: Staff, *, size: int = 520, seed: int = 2026, today: date | None = None):
        self.rng = random.Random(seed)
        self.staff = staff
        self.size = size
        self.today = today or date.today()
        self.config = get_active()
        self.stats = Stats()
        items = self.config.data["locations"]["items"]
        self.wards = [i["code"] for i in items if i["level"] == 3]
        self.has = lambda key, rt="case": self.config.field(rt, key) is not None
        self.cases: list = []  # (record, person dict)

    # -- helpers -----------------------------------------------------------------------------------
    def day(self, start: date, lo: int, hi: int) -> date:
        return min(self.today, start + timedelta(days=self.rng.randint(lo, hi)))

    def when(self, d: date) -> datetime:
        return datetime.combine(d, time(self.rng.randint(7, 17), self.rng.randint(0, 59)), tzinfo=UTC)

    def worker_for(self, province: str | None = None, agency_code: str | None = None):
        options = [
            (u, provs)
            for u, provs in self.staff.caseworkers
            if (province is None or province in provs)
            and (agency_code is None or u.agency.code == agency_code)
        ] or self.staff.caseworkers
        return self.rng.choice(options)[0]

    def ward_in(self, provinces: list[str]) -> str:
        candidates = [w for w in self.wards if w[:4] in provinces] or self.wards
        return self.rng.choice(candidates)

    def create(self, **kwargs):
        try:
            return create_record(**kwargs)
        except Exception as exc:  # keep going; report at the end (a demo bug must not hide others)
            self.stats.failures.append(
                f"{kwargs.get('record_type')}: {exc!r} {getattr(exc, 'details', '')}"[:500]
            )
            return None

    # -- people ----------------------------------------------------------------------------------
    def new_family(self) -> dict:
        rng = self.rng
        tradition = _pick(rng, TRADITION_WEIGHTS)
        names = TRADITIONS[tradition]
        caregiver_sex = "female" if rng.random() < 0.7 else "male"
        return {
            "tradition": tradition,
            "family": rng.choice(names["family"]),
            "caregiver_name": f"{rng.choice(names[caregiver_sex])} {rng.choice(names['family'])}",
            "caregiver_relationship": rng.choice(
                ["mother"] * 5
                + ["father"] * 2
                + ["grandparent"] * 2
                + ["aunt_uncle", "other_relative", "foster_parent"]
            ),
            "caregiver_phone": f"+257 7{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        }

    def new_child(self, family: dict) -> dict:
        rng = self.rng
        names = TRADITIONS[family["tradition"]]
        sex = "female" if rng.random() < 0.52 else "male"
        age_days = rng.randint(200, 17 * 365 + 300)
        return {
            "name_first": rng.choice(names[sex]),
            "name_last": family["family"],
            "sex": sex,
            "dob": self.today - timedelta(days=age_days),
            "dob_known": rng.random() < 0.7,
            "nickname": rng.choice(NICKNAMES) if rng.random() < 0.15 else "",
        }

    # -- cases -----------------------------------------------------------------------------------
    def case_data(
        self, child: dict, family: dict | None, reg: date, ward: str, concerns: list[str], risk: str
    ) -> dict:
        rng = self.rng
        age_at_reg = (reg - child["dob"]).days // 365
        d = {
            "registration_date": reg.isoformat(),
            "name_first": child["name_first"],
            "name_last": child["name_last"],
            "sex": child["sex"],
            "location": ward,
            "protection_concerns": concerns,
            "risk_level": risk,
            "nationality": rng.choice(
                ["national"] * 8 + ["somali", "south_sudanese", "congolese_drc", "sudanese"]
            ),
            "displacement_status": rng.choice(["host_community"] * 5 + ["idp", "idp", "refugee", "returnee"]),
        }
        if child["nickname"]:
            d["name_other"] = child["nickname"]
        if child["dob_known"]:
            d["date_of_birth"] = child["dob"].isoformat()
        else:
            d["age_estimated"] = "yes"
            d["estimated_age"] = max(0, (self.today - child["dob"]).days // 365 + rng.choice([-1, 0, 0, 1]))
        if "other" in concerns:
            d["protection_concerns_other"] = "Child at risk of eviction"
        if family and "unaccompanied" not in concerns:
            for k in ("caregiver_name", "caregiver_relationship", "caregiver_phone"):
                d[k] = family[k]
        # Consent (at registration).
        d["consent_date"] = reg.isoformat()
        if rng.random() < 0.93:
            d["consent_given"] = "yes"
            d["consent_by"] = (
                "child_and_caregiver"
                if family and age_at_reg >= 12
                else ("caregiver" if family else "child" if age_at_reg >= 12 else "other_trusted_adult")
            )
            if rng.random() < 0.04:
                d["data_sharing_wishes"] = ["do_not_share"]
            else:
                wishes = ["share_with_service_providers"]
                if rng.random() < 0.5:
                    wishes.append("share_with_government")
                if "separated" in concerns or "unaccompanied" in concerns:
                    wishes.append("share_for_tracing")
                d["data_sharing_wishes"] = wishes
        else:
            d["consent_given"] = "no"
            d["consent_by"] = "caregiver" if family else "other_trusted_adult"
        if self.has("kv_birth_certificate_number") and child["dob_known"] and rng.random() < 0.3:
            d["kv_birth_certificate_number"] = f"KV-{child['dob'].year}-{rng.randint(0, 999999):06d}"
        return d

    def progress(self, d: dict, reg: date, risk: str) -> tuple[dict, str]:
        """Fill the later forms according to how far the case has gone; returns (data, status)."""
        rng = self.rng
        age_days = (self.today - reg).days
        status = "open"
        # Initial assessment: most on time, some late, some missing (overdue).
        if rng.random() < 0.07 or age_days < 1:
            return d, status
        if risk == "high":
            delay = rng.choice([0, 0, 1, 1, 2, 2, 3, 5, 8])
        else:
            delay = rng.choice([1, 2, 3, 4, 5, 6, 6, 8, 10, 14])
        ia = reg + timedelta(days=delay)
        if ia > self.today:
            return d, status
        status = "assessment"
        danger = risk == "high" and rng.random() < 0.5
        d.update(
            {
                "initial_assessment_date": ia.isoformat(),
                "immediate_safety_concern": "yes" if danger else "no",
                "immediate_needs": rng.choice(
                    [
                        "Food and school materials.",
                        "Medical check-up for an untreated injury.",
                        "A safe place to sleep.",
                        "Birth registration and school enrolment.",
                        "Caregiver needs support to keep the child at home.",
                    ]
                ),
            }
        )
        if danger:
            d["immediate_safety_actions"] = "Child placed with a relative the same day; police informed."
        if rng.random() < 0.6:
            ca = self.day(ia, 3, 20)
            d.update(
                {
                    "comprehensive_assessment_date": ca.isoformat(),
                    "assessment_family": "Lives with the caregiver and two siblings; relationships are warm but strained by poverty.",
                    "assessment_education": rng.choice(
                        [
                            "Attends school irregularly.",
                            "Out of school since last year.",
                            "In grade 4, doing well.",
                        ]
                    ),
                }
            )
        # Case plan within ~14 days for most.
        if rng.random() < 0.25:
            return d, status
        cp = self.day(ia, 2, rng.choice([8, 12, 20, 30]))
        if cp <= ia or (self.today - cp).days < 0:
            return d, status
        status = "case_plan"
        d["case_plan_date"] = cp.isoformat()
        d["goals"] = [
            {
                "goal_need": "Safety at home",
                "goal_text": "The child lives without violence",
                "goal_action": "Monthly home visits; caregiver parenting sessions",
                "goal_responsible": "Caseworker",
                "goal_due_date": (cp + timedelta(days=90)).isoformat(),
            }
        ]
        if rng.random() < 0.8 and (self.today - cp).days >= 2:
            d["case_plan_approved"] = "yes"
            d["case_plan_approved_date"] = self.day(cp, 0, 5).isoformat()
            status = "implementation"
        else:
            return d, status
        # Services (direct and indirect).
        services = []
        for _ in range(rng.randint(1, 3)):
            stype = rng.choice(SERVICE_TYPES)
            row = {
                "service_type": stype,
                "service_delivery": rng.choice(["direct", "direct", "indirect"]),
                "service_date": self.day(cp, 1, 60).isoformat(),
            }
            if stype in SERVICE_SUBTYPES and rng.random() < 0.7:
                row["service_subtype"] = rng.choice(SERVICE_SUBTYPES[stype])
            if row["service_delivery"] == "indirect":
                row["service_provider"] = rng.choice(AGENCY_PARTNERS)
            services.append(row)
        d["services"] = services
        # Referrals: one referral may ask for several services; only if sharing is allowed.
        if "do_not_share" not in (d.get("data_sharing_wishes") or ["do_not_share"]) and rng.random() < 0.6:
            refs = []
            for _ in range(rng.randint(1, 2)):
                rdate = self.day(cp, 0, 40)
                st = _pick(rng, [("completed", 45), ("accepted", 25), ("pending", 15), ("declined", 15)])
                row = {
                    "referral_services": rng.sample(SERVICE_TYPES, rng.choice([1, 1, 2, 2, 3])),
                    "referral_agency": rng.choice(AGENCY_PARTNERS),
                    "referral_date": rdate.isoformat(),
                    "referral_consent_checked": "yes",
                    "referral_status": st,
                }
                if st != "pending":
                    row["referral_response_date"] = self.day(rdate, 1, 14).isoformat()
                if st == "declined":
                    row["referral_notes"] = "No capacity this month; re-referred elsewhere."
                refs.append(row)
            d["referrals"] = refs
        # Follow-ups.
        followups, last = [], cp
        for _ in range(rng.randint(0, 4)):
            fdate = self.day(last, 7, 35)
            if fdate <= last:
                break
            row = {
                "followup_date": fdate.isoformat(),
                "followup_type": rng.choice(
                    ["home_visit", "home_visit", "phone_call", "school_visit", "provider_contact"]
                ),
                "followup_action": rng.choice(
                    ["Goal 1: safety at home", "Referral to health", "School enrolment"]
                ),
                "followup_outcome": rng.choice(
                    [
                        "Child attending school again.",
                        "Caregiver attended the parenting session.",
                        "No change; visit again.",
                    ]
                ),
            }
            followups.append(row)
            last = fdate
        if followups:
            d["followups"] = followups
        # First review around 90 days after the plan.
        rv = cp + timedelta(days=rng.choice([60, 80, 88, 95, 110]))
        if rv <= self.today and rng.random() < 0.75:
            d["reviews"] = [
                {
                    "review_date": rv.isoformat(),
                    "review_progress": "Most goals on track.",
                    "review_risk_level": rng.choice(["low", "low", "medium", risk]),
                }
            ]
        # Closure for older cases.
        if (self.today - reg).days > 120 and rng.random() < 0.5:
            start = max([cp, last] + [date.fromisoformat(r["review_date"]) for r in d.get("reviews", [])])
            cdate = self.day(start, 5, 60)
            age = (
                (cdate - date.fromisoformat(d["date_of_birth"])).days // 365
                if d.get("date_of_birth")
                else d.get("estimated_age", 10)
            )
            reasons = [
                ("goals_achieved", 40),
                ("reunified", 12),
                ("transferred", 8),
                ("lost_contact", 10),
                ("relocated", 8),
                ("refused_services", 4),
                ("death", 1),
                ("other", 3),
            ]
            if age >= 18:
                reasons.append(("turned_18", 60))
            reason = _pick(rng, reasons)
            d.update(
                {
                    "closure_date": cdate.isoformat(),
                    "closure_reason": reason,
                    "closure_summary": "Child safe at home; the family knows how to reach the office.",
                }
            )
            if reason == "other":
                d["closure_reason_other"] = "Case merged with a sibling's case"
            if rng.random() < 0.85:
                d["closure_approved"] = "yes"
                d["closure_approved_date"] = self.day(cdate, 0, 7).isoformat()
                status = "closed"
            else:
                status = "closure_requested"
        return d, status

    def register(self, child: dict, family: dict | None, reg: date, worker, ward: str, concerns, risk):
        data = self.case_data(child, family, reg, ward, concerns, risk)
        data, status = self.progress(data, reg, risk)
        rec = self.create(
            user=worker,
            record_type="case",
            data=data,
            status=status,
            location=ward,
            owner=worker,
            created_at=self.when(reg),
        )
        if rec is not None:
            self.cases.append((rec, child, family))
            self.stats.cases += 1
        return rec

    def build_cases(self) -> None:
        rng = self.rng
        n_dupes = max(1, round(self.size * 0.03))
        target = self.size - n_dupes
        while self.stats.cases < target:
            family = self.new_family()
            province = rng.choice(["KV01", "KV01", "KV02", "KV02", "KV03"])
            ward = self.ward_in([province])
            worker = self.worker_for(province)
            concerns = sorted({_pick(rng, CONCERNS) for _ in range(rng.choice([1, 1, 1, 2, 2, 3]))})
            siblings = 1 if rng.random() < 0.75 else rng.choice([2, 2, 3])
            reg = self.today - timedelta(days=int(rng.triangular(0, 540, 200)))
            risk = _pick(rng, [("high", 25), ("medium", 45), ("low", 30)])
            group = []
            for _ in range(siblings):
                if self.stats.cases >= target:
                    break
                unaccompanied = "unaccompanied" in concerns
                rec = self.register(
                    self.new_child(family),
                    None if unaccompanied else family,
                    reg,
                    worker,
                    ward,
                    concerns,
                    risk,
                )
                if rec is not None:
                    group.append(rec)
            for a, b in zip(group, group[1:], strict=False):
                link_records(user=worker, from_record=b, to_record=a, link_type="sibling")
                self.stats.siblings += 1
        self.plant_duplicates(n_dupes)

    def plant_duplicates(self, n: int) -> None:
        """Register children again through another agency, with the slips real registrations have:
        transliteration variants, typos, day and month swapped, a nickname instead of a name."""
        rng = self.rng
        originals = rng.sample(self.cases, min(n, len(self.cases)))
        for rec, child, family in originals:
            dup = dict(child)
            first, last = child["name_first"], child["name_last"]
            roll = rng.random()
            if first in VARIANTS:
                first = VARIANTS[first]
            elif last in VARIANTS:
                last = VARIANTS[last]
            elif roll < 0.6:
                first = _typo(rng, first)
            else:
                last = _typo(rng, last)
            dup.update(name_first=first, name_last=last)
            dob = child["dob"]
            if child["dob_known"] and dob.day <= 12 and dob.day != dob.month and rng.random() < 0.5:
                dup["dob"] = dob.replace(month=dob.day, day=dob.month)
            other_agency = "hfc" if rec.agency and rec.agency.code != "hfc" else "dsw"
            worker = self.worker_for(agency_code=other_agency)
            reg = self.day(date.fromisoformat(rec.data["registration_date"]), 10, 120)
            ward = rec.location if rng.random() < 0.6 else self.ward_in([rec.location[:4]])
            created = self.register(
                dup, family, reg, worker, ward, rec.data["protection_concerns"], rec.data["risk_level"]
            )
            if created is not None:
                self.stats.duplicates += 1

    # -- step by step through the actions, as a caseworker would ----------------------------------
    def step_by_step(self, count: int) -> None:
        from kinga.workflow.actions import transition

        rng = self.rng
        candidates = [r for r, _c, _f in self.cases if r.status == "implementation"]
        for rec in rng.sample(candidates, min(count, len(candidates))):
            try:
                rec.refresh_from_db()
                wishes = rec.data.get("data_sharing_wishes") or []
                if "share_with_service_providers" in wishes:
                    rows = [
                        *(rec.data.get("referrals") or []),
                        {
                            "referral_services": ["psychosocial", "education"],
                            "referral_agency": "Child Helpline",
                            "referral_date": self.today.isoformat(),
                            "referral_consent_checked": "yes",
                            "referral_status": "pending",
                        },
                    ]
                    rec = update_record(
                        user=rec.owner, record=rec, changes={"referrals": rows}, expected_version=rec.version
                    )
                rows = [
                    *(rec.data.get("followups") or []),
                    {
                        "followup_date": self.today.isoformat(),
                        "followup_type": "phone_call",
                        "followup_action": "Referral to psychosocial support",
                        "followup_outcome": "Appointment confirmed for next week.",
                    },
                ]
                rec = update_record(
                    user=rec.owner, record=rec, changes={"followups": rows}, expected_version=rec.version
                )
                if rec.data.get("closure_date") is None and rng.random() < 0.3:
                    rec = update_record(
                        user=rec.owner,
                        record=rec,
                        expected_version=rec.version,
                        changes={"closure_date": self.today.isoformat(), "closure_reason": "goals_achieved"},
                    )
                    rec = transition(
                        user=rec.owner, record=rec, transition_id="request_closure", reason="goals achieved"
                    )
                self.stats.step_by_step += 1
            except Exception as exc:
                self.stats.failures.append(
                    f"step_by_step {rec.short_id}: {exc!r} {getattr(exc, 'details', '')}"[:500]
                )

    # -- GBV -------------------------------------------------------------------------------------------
    def build_incidents(self, n: int) -> None:
        rng = self.rng
        for i in range(n):
            worker = rng.choice(self.staff.gbv_caseworkers)
            report = self.today - timedelta(days=int(rng.triangular(0, 540, 150)))
            itype = _pick(rng, GBV_TYPES)
            age = int(min(70, max(10, rng.gauss(24, 9))))
            lag = (
                rng.choice([0, 0, 1, 1, 2, 3, 5, 10, 30, 90])
                if itype != "forced_marriage"
                else rng.randint(5, 200)
            )
            d = {
                "survivor_code_name": f"{rng.choice(CODE_NAMES)}-{i + 1:03d}",
                "survivor_sex": "female" if rng.random() < 0.92 else "male",
                "survivor_age": age,
                "survivor_displacement_status": rng.choice(["host_community"] * 3 + ["idp", "refugee"]),
                "survivor_has_disability": "yes" if rng.random() < 0.08 else "no",
                "consent_referral": "yes" if rng.random() < 0.86 else "no",
                "consent_data_share": "yes" if rng.random() < 0.7 else "no",
                "gbv_consent_date": report.isoformat(),
                "report_date": report.isoformat(),
                "incident_date": (report - timedelta(days=lag)).isoformat(),
                "incident_type": itype,
                "incident_location": self.ward_in(["KV01", "KV02", "KV03"]),
                "incident_context": rng.sample(
                    [
                        "intimate_partner_violence",
                        "conflict_related",
                        "during_displacement",
                        "harmful_practice",
                    ],
                    rng.choice([0, 1, 1, 2]),
                ),
                "incident_time_of_day": rng.choice(
                    ["morning", "afternoon", "evening_night", "evening_night", "unknown"]
                ),
                "perpetrator_count": rng.choice([1, 1, 1, 1, 2, 3]),
                "perpetrator_sex": rng.choice(["male"] * 9 + ["female", "unknown"]),
                "perpetrator_relationship": _pick(
                    rng,
                    [
                        ("intimate_partner", 40),
                        ("family_member", 15),
                        ("community_member", 12),
                        ("stranger", 10),
                        ("armed_actor", 6),
                        ("former_partner", 7),
                        ("unknown", 10),
                    ],
                ),
            }
            if age < 18:
                d["unaccompanied_minor"] = "yes" if rng.random() < 0.1 else "no"
                d["gbv_consent_by"] = "child_and_caregiver" if rng.random() < 0.7 else "child"
            status = "open"
            if d["consent_referral"] == "yes":
                rows = []
                first = [("health", 5)] if itype in ("rape", "sexual_assault") else []
                for stype in dict.fromkeys(
                    [_pick(rng, first or [("psychosocial", 5)])] + rng.sample(GBV_SERVICES, rng.randint(0, 2))
                ):
                    rdate = self.day(report, 0, 3)
                    st = _pick(rng, [("completed", 60), ("accepted", 15), ("pending", 15), ("declined", 10)])
                    row = {
                        "gbv_service_type": stype,
                        "consent_for_this_referral": "yes",
                        "gbv_referral_date": rdate.isoformat(),
                        "gbv_referral_status": st,
                        "gbv_service_provider": rng.choice(AGENCY_PARTNERS),
                    }
                    if st in ("completed", "accepted"):
                        row["gbv_service_date"] = self.day(rdate, 0, rng.choice([1, 2, 3, 6, 12])).isoformat()
                    rows.append(row)
                d["gbv_services"] = rows
                status = "implementation"
            if (self.today - report).days > 3 and rng.random() < 0.8:
                d["gbv_action_plan_date"] = self.day(report, 0, 10).isoformat()
                d["safety_plan"] = "Agreed safe place with a trusted neighbour; helpline number memorised."
                status = "implementation" if d.get("gbv_services") else "action_plan"
            if (self.today - report).days > 90 and rng.random() < 0.5:
                d["gbv_closure_date"] = self.day(report, 45, 120).isoformat()
                d["gbv_closure_reason"] = _pick(
                    rng,
                    [
                        ("needs_met", 50),
                        ("survivor_request", 20),
                        ("lost_contact", 15),
                        ("relocated", 10),
                        ("transferred", 5),
                    ],
                )
                status = "closed"
            rec = self.create(
                user=worker,
                record_type="incident",
                data=d,
                status=status,
                location=d["incident_location"],
                owner=worker,
                created_at=self.when(report),
            )
            if rec is not None:
                self.stats.incidents += 1

    # -- tracing requests --------------------------------------------------------------------------
    def build_tracing(self, n: int) -> None:
        rng = self.rng
        separated = [
            (r, c, f)
            for r, c, f in self.cases
            if {"separated", "unaccompanied"} & set(r.data.get("protection_concerns") or [])
        ]
        matches = rng.sample(separated, min(len(separated), n // 3))
        for i in range(n):
            worker = self.worker_for()
            inquiry = self.today - timedelta(days=rng.randint(0, 500))
            if i < len(matches):
                rec, child, family = matches[i]
                fam = family or self.new_family()
                first = (
                    VARIANTS.get(child["name_first"], child["name_first"])
                    if rng.random() < 0.3
                    else child["name_first"]
                )
                sought = {
                    "sought_name_first": first,
                    "sought_name_last": child["name_last"],
                    "sought_sex": child["sex"],
                }
                dob = child["dob"]
                sep_loc = rec.location[:6] if rng.random() < 0.5 else rec.location
            else:
                rec, fam = None, self.new_family()
                c = self.new_child(fam)
                sought = {
                    "sought_name_first": c["name_first"],
                    "sought_name_last": c["name_last"],
                    "sought_sex": c["sex"],
                }
                dob = c["dob"]
                sep_loc = self.ward_in(["KV01", "KV02", "KV03"])
            d = {
                "inquiry_date": inquiry.isoformat(),
                "inquirer_name": fam["caregiver_name"],
                "inquirer_relationship": fam["caregiver_relationship"],
                "inquirer_phone": fam["caregiver_phone"],
                "inquirer_location": self.ward_in(["KV01", "KV02", "KV03"]),
                **sought,
                "separation_date": (inquiry - timedelta(days=rng.randint(5, 400))).isoformat(),
                "separation_location": sep_loc,
                "separation_cause": _pick(
                    rng,
                    [
                        ("flight", 30),
                        ("conflict", 25),
                        ("lost_in_crowd", 10),
                        ("death_of_caregiver", 10),
                        ("economic_reasons", 10),
                        ("unknown", 15),
                    ],
                ),
                "distinguishing_features": rng.choice(
                    [
                        "Scar above the left eyebrow.",
                        "Speaks Swahili and some Arabic.",
                        "Was wearing a red school sweater.",
                        "",
                    ]
                )
                or None,
            }
            if d["distinguishing_features"] is None:
                del d["distinguishing_features"]
            if rng.random() < 0.7 and dob <= inquiry:
                d["sought_date_of_birth"] = dob.isoformat()
            else:
                d["sought_age_estimated"] = "yes"
                d["sought_estimated_age"] = max(0, (self.today - dob).days // 365)
            confirmed = rec is not None and rng.random() < 0.5
            tr = self.create(
                user=worker,
                record_type="tracing_request",
                data=d,
                status="matched" if confirmed else "open",
                location=d["inquirer_location"],
                owner=worker,
                created_at=self.when(inquiry),
            )
            if tr is not None:
                self.stats.tracing_requests += 1
                if confirmed:
                    link_records(user=worker, from_record=tr, to_record=rec, link_type="tracing_match")

    # -- notifications ---------------------------------------------------------------------------
    def build_notifications(self, n: int) -> None:
        rng = self.rng
        notifier = self.staff.notifier
        for _ in range(n):
            when = self.today - timedelta(days=rng.randint(0, 300))
            fam = self.new_family()
            child = self.new_child(fam)
            d = {
                "notification_date": when.isoformat(),
                "notifier_name": rng.choice(
                    ["Mr. Kiprono (teacher)", "Sister Agnes", "Constable Adan", "Mama Rehema", "Dr. Osman"]
                ),
                "notifier_role": rng.choice(
                    [
                        "teacher",
                        "health_worker",
                        "police",
                        "community_volunteer",
                        "religious_leader",
                        "neighbour",
                    ]
                ),
                "child_name": f"{child['name_first']} {child['name_last']}" if rng.random() < 0.8 else None,
                "child_location": self.ward_in(["KV01", "KV02", "KV03"]),
                "notification_concerns": sorted(
                    {_pick(rng, CONCERNS) for _ in range(rng.choice([1, 1, 2]))} - {"other"}
                )
                or ["neglect"],
                "notification_description": rng.choice(
                    [
                        "The child has not come to school for three weeks and looks hungry.",
                        "Neighbours hear shouting and the child has bruises.",
                        "A girl of about 14 is said to be promised in marriage.",
                        "Boy sleeping at the bus station for several nights.",
                    ]
                ),
                "urgency": rng.choice(["immediate_danger", "urgent", "urgent", "not_urgent"]),
            }
            d = {k: v for k, v in d.items() if v is not None}
            status = (
                "new"
                if (self.today - when).days < 14
                else rng.choice(["case_opened", "case_opened", "no_action"])
            )
            rec = self.create(
                user=notifier,
                record_type="notification",
                data=d,
                status=status,
                location=d["child_location"],
                owner=notifier,
                created_at=self.when(when),
            )
            if rec is not None:
                self.stats.notifications += 1

    def build(self) -> Stats:
        self.build_cases()
        self.step_by_step(max(3, self.size // 25))
        self.build_incidents(max(5, round(self.size * 0.29)))
        self.build_tracing(max(4, round(self.size * 0.08)))
        self.build_notifications(max(3, round(self.size * 0.06)))
        return self.stats
