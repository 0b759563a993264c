"""Name masking on text written for this test (not from the corpus): places, organisations and words that
look like names must stay; private persons must be masked at every mention, in ordinary case and in
capitals. Runs the real model (marker `model`)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.model

BODY = """UNCLAS SECTION 01 OF 01 TBILISI 000456

SUBJECT: (U) REGIONAL TRADE FAIR

1. (U) The Embassy attended the regional trade fair in Kutaisi on May 4. Exhibitors came from Armenia,
Azerbaijan and Turkey; the Labour Party and the Chamber of Commerce sent delegations. PermRep staff
joined by video. The financial press covered the opening interview at length.

2. (U) A local shopkeeper, Nino Beridze, told poloff that sales had doubled since the road opened.
Beridze said her cousin Giorgi Lomidze now drives a truck to Batumi twice a week. Lomidze asked not to be
named in any report.

3. (U) Comment: Kunming and Chengdu traders were also present. Red Square and Freedom Square were
mentioned as models for the new market hall. XXXXXXXXXXXX said the hall would open in June. End comment.
"""

KEEP = [
    "Embassy",
    "Kutaisi",
    "Armenia",
    "Azerbaijan",
    "Turkey",
    "Labour Party",
    "Chamber of Commerce",
    "PermRep",
    "financial",
    "interview",
    "Batumi",
    "Kunming",
    "Chengdu",
    "Freedom Square",
    "XXXXXXXXXXXX",
    "Red Square",
    "trade fair",
]
MASK = ["Nino Beridze", "Beridze", "Giorgi Lomidze", "Lomidze"]


@pytest.mark.parametrize("caps", [False, True], ids=["as is", "capitals"])
def test_private_persons_masked_places_and_words_kept(redactor, caps: bool) -> None:
    doc = BODY.upper() if caps else BODY
    rel = redactor.redact(doc.encode(), policy="public-release")
    text = rel.text
    for word in KEEP:
        assert (word.upper() if caps else word) in text, f"{word} was masked"
    for name in MASK:
        assert (name.upper() if caps else name) not in text, f"{name} was released"


# Synthetic cables in layouts the labelled corpus does not have (issue #11), each with the names a B6
# reviewer masks (private persons, junior staff) and the words that must stay. Written after the rules, to
# attack them: appositives, a list of attendees, capitals, hyphenated and particle names, Arabic, Chinese and
# Russian name orders.
CABLES = [
    (
        "appositives",
        """UNCLAS SECTION 01 OF 01 YEREVAN 000311

SUBJECT: (U) SMALL TRADERS ON THE NEW BORDER RULES

1. (U) A shopkeeper, Anahit Sargsyan, told poloff that the new customs
rules had halved her trade. Her brother, Vardan, now drives goods to
Gyumri himself. A driver, Levon Hakobyan, said the crossing at
Bagratashen took three days last week.

2. (U) The Armenian Revolutionary Federation party and Shant TV covered
the story. A local journalist, Tigran Petrosyan, asked not to be named.""",
        ["YEREVAN", "Bagratashen", "Armenian Revolutionary Federation", "Shant TV", "customs"],
        ["Anahit Sargsyan", "Vardan", "Levon Hakobyan", "Tigran Petrosyan"],
    ),
    (
        "attendees",
        """UNCLAS SECTION 01 OF 01 TASHKENT 000412

SUBJECT: (U) WATER TALKS WITH THE MINISTRY OF AGRICULTURE

1. (U) Participants:
Uzbekistan: Deputy Minister of Agriculture Rustam Yusupov; Dilnoza Karimova, interpreter
United States: Ambassador Mary Ellen Shaw; Peter Quill, Economic Officer (notetaker)

2. (U) Yusupov said the Amu Darya canals in Khorezm and Karakalpakstan
lose half their water. Karimova translated. Ambassador Shaw offered a
study by the Ministry of Agriculture (MOA) and USAID.""",
        ["TASHKENT", "Amu Darya", "Khorezm", "Karakalpakstan", "Ministry of Agriculture", "MOA", "USAID"],
        ["Dilnoza Karimova", "Karimova", "Peter Quill"],
    ),
    (
        "capitals",
        """UNCLAS ALMATY 000519

SUBJECT: (U) BANK CLOSURE PROTEST

1. (U) SOME 200 DEPOSITORS OF THE TURAN ALEM BANK GATHERED ON ABAI
AVENUE ON MAY 3. A PENSIONER, GULNARA ABENOVA, TOLD CONOFF SHE HAD LOST
HER SAVINGS. ABENOVA'S NEIGHBOUR SERIK NURLANOV SAID POLICE TOOK NAMES
BUT MADE NO ARRESTS.

2. (U) THE PROTEST WAS COVERED BY KTK TV AND THE DAILY, VREMYA. ABENOVA
PLANS TO SUE.""",
        ["ALMATY", "TURAN ALEM BANK", "ABAI AVENUE", "KTK TV", "VREMYA", "DEPOSITORS", "PENSIONER"],
        ["GULNARA ABENOVA", "ABENOVA", "SERIK NURLANOV"],
    ),
    (
        "particles",
        """UNCLAS SECTION 01 OF 01 BEIRUT 000777

SUBJECT: (U) A LAWYER'S CASE BEFORE THE MILITARY COURT

1. (U) Lawyer Samir abu-Khalil was detained on June 2 in Tripoli.
Abu-Khalil's son, Karim, said his father had defended members of the
Free Patriotic Movement (FPM). Later abu-Khalil was moved to Roumieh
prison.

2. (U) A second detainee, Jean-Pierre de la Fontaine, a French-Lebanese
engineer, was released on bail. De la Fontaine told emboff that Fontaine
is the name the guards used.""",
        ["Tripoli", "Free Patriotic Movement", "FPM", "Roumieh", "French-Lebanese"],
        ["Samir abu-Khalil", "Abu-Khalil", "abu-Khalil", "Karim", "Jean-Pierre de la Fontaine"],
    ),
    (
        "name orders",
        """UNCLAS SECTION 01 OF 01 SHENYANG 000128

SUBJECT: (U) CHURCH LEADERS ON LAND AND PERMITS

1. (U) Pastor Wang Lixin, who leads a house church in Dandong, said the
district office refused his permit. His colleague, Zhang Meiling, added
that Wang had been questioned twice.

2. (U) A visiting Russian trader, Sergei Ivanovich Morozov, told conoff
that Morozov's firm in Harbin pays local officials. An Iraqi student,
Ahmed bin Khalid al-Tikriti, said al-Tikriti's visa was refused.""",
        ["SHENYANG", "Dandong", "Harbin", "Russian", "Iraqi"],
        ["Wang Lixin", "Zhang Meiling", "Wang", "Sergei Ivanovich Morozov", "Morozov", "al-Tikriti"],
    ),
]


@pytest.mark.parametrize(("layout", "cable", "keep", "mask"), CABLES, ids=[c[0] for c in CABLES])
def test_new_layouts(redactor, layout: str, cable: str, keep: list[str], mask: list[str]) -> None:
    text = " ".join(redactor.redact(cable.encode(), policy="public-release").text.split())
    for word in keep:
        assert word in text, f"{layout}: {word} was masked"
    for name in mask:
        assert re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text) is None, f"{layout}: {name} released"


# Adversarial rows (wt-e), written for the rules of coreference, of offices held in private bodies, of
# capitals and of line breaks; invented names, none from the corpus. Each row: a cable, the names that must be
# masked under `public-release`, the officials' names that must stay visible, and words that must stay.
ATTACKS = [
    (
        "other spellings",
        """UNCLAS SECTION 01 OF 01 TBILISI 000457

SUBJECT: (U) A TRADER ON THE PORT

1. (U) A local trader, Oleg Zaslavsky, told poloff that the port fees
had doubled. Zaslavskiy said the new rules favour large firms. Later
Zaslavky added that he would not complain in writing.""",
        ["Oleg Zaslavsky", "Zaslavskiy", "Zaslavky"],
        [],
        ["port fees", "poloff"],
    ),
    (
        "names in capitals",
        """UNCLAS SECTION 01 OF 01 TBILISI 000458

SUBJECT: (U) AMBASSADOR MEETS THE PRIME MINISTER

1. (U) AMBASSADOR MARTIN KELLERMAN MET PRIME MINISTER GIORGI TAVDGIRIDZE
ON MAY 4. A SHOPKEEPER, TAMAR GELASHVILI, WAITED OUTSIDE. TAVDGIRIDZE
SAID THE TALKS WENT WELL; GELASHVILI SAID NOTHING. THE UNIIIC AND THE
EU SENT OBSERVERS; UNIIIC HEAD SERGE VANDERPLAS ALSO CAME.""",
        ["GELASHVILI"],
        ["KELLERMAN", "TAVDGIRIDZE", "VANDERPLAS"],
        ["UNIIIC", "THE EU"],
    ),
    (
        "split by line breaks",
        """UNCLAS SECTION 01 OF 01 TBILISI 000459

SUBJECT: (U) DEMARCHE DELIVERED

1. (U) Poloff delivered the demarche to Deputy Foreign Minister
Ketevan Ramishvili, who said she would convey it. A driver, Levan
Kapanadze, drove poloff back. Ramishvili called later; Kapanadze did
not.""",
        ["Levan\nKapanadze", "Kapanadze"],
        ["Ketevan Ramishvili", "Ramishvili"],
        ["Deputy Foreign Minister"],
    ),
    (
        "a private person with an official-sounding title",
        """UNCLAS SECTION 01 OF 01 TBILISI 000460

SUBJECT: (U) NGO VIEWS ON THE ELECTION

1. (U) Poloff met the Lomsadze Family Foundation (LFF). LFF Executive
Director Dr. Irakli Gogiberidze said the vote was fair. Nodar Abuladze,
President of the Kartli Trading Company, disagreed. Gogiberidze and
Abuladze asked not to be quoted. Minister of Justice Eka Zhvania
welcomed the NGO's report.""",
        ["Irakli Gogiberidze", "Gogiberidze", "Nodar Abuladze", "Abuladze"],
        ["Eka Zhvania"],
        ["Lomsadze Family Foundation", "Kartli Trading Company"],
    ),
    (
        "an official in a list of names",
        """UNCLAS SECTION 01 OF 01 TBILISI 000461

SUBJECT: (U) BILATERAL MEETING

1. (U) Participants: Ambassador Martin Kellerman; Deputy Foreign
Minister David Khurtsidze; Nino Beruashvili (notetaker).

2. (U) Khurtsidze said Georgia valued the partnership. Kellerman
agreed. Beruashvili took notes.""",
        ["Nino Beruashvili", "Beruashvili"],
        ["Martin Kellerman", "David Khurtsidze", "Khurtsidze", "Kellerman"],
        ["Participants:"],
    ),
    (
        "an office named in full before the name",
        """UNCLAS SECTION 01 OF 01 TBILISI 000462

SUBJECT: (U) MEDIA REACTION

1. (U) Rezonansi (5/12) wrote that the U.S. Special Envoy for the
Caucasus, Richard Pellworth, would visit. Pellworth Interview. Akhali
Taoba (5/12) quoted a student, Mariam Tsiklauri, who welcomed it.""",
        ["Mariam Tsiklauri"],
        ["Richard Pellworth", "Pellworth"],
        ["Rezonansi", "Akhali"],
    ),
]


def _visible(text: str, name: str) -> bool:
    pattern = r"\s+".join(re.escape(w) for w in name.split())
    return re.search(r"(?<![\w-])" + pattern + r"(?![\w-])", text) is not None


@pytest.mark.parametrize(("attack", "cable", "mask", "release", "keep"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attacks(redactor, attack: str, cable: str, mask: list[str], release: list[str], keep: list[str]) -> None:
    text = redactor.redact(cable.encode(), policy="public-release").text
    for name in mask:
        assert not _visible(text, name), f"{attack}: {name!r} released"
    for name in release:
        assert _visible(text, name), f"{attack}: the official {name!r} masked"
    for word in keep:
        assert _visible(text, word), f"{attack}: {word!r} masked"
