"""Adversarial documents of session 20 for names written family name first (`recognizers/family_first.py`),
lists of names and their elected-body introductions (`recognizers/name_list.py`) and pronoun surnames
(`propagate.py`), written for this test against be6138a, not developed against. Every row failed at be6138a;
the rows still failing are in KNOWN, each with why.
Each row says whether it also failed before these rules (at a598249, before lists of names and family-first
names): `new` rows are failures these rules brought; `old` rows failed there too (the new rules were meant to
catch them and do not). Three `new` OFFICIALS rows of Vietnamese names (the teachers union's congress, the
party congress, the mock election) fail at a598249 too, but otherwise: no one was released as an official
there, and the model left one line (`LE QUOC TUAN`) visible. Against 48a5428 (lists of names, before this
rework): the 33 `new` rows of family-first names, pronoun surnames and spread parts pass there (be6138a brought
them); the 16 `new` OFFICIALS rows and the spread parts of an elected list fail there too (lists of names brought
them, the rework left them open).

- OFFICIALS: a private person released as an official under `public-release` (an introduction of one of the
  strict forms whose body is another's, or a heading after an elected list that only looks like a party's);
- STRICT: part of a private person's name left visible under `public-release-strict`;
- PRECISION: places, things and English words masked as names (a family-first find of a place, or a part
  of a family-first name spread to every mention of the word).

Runs the real model (marker `model`)."""

from __future__ import annotations

import pytest
from name_attacks import assert_kept, assert_masked_whole, assert_not_released, params

pytestmark = pytest.mark.model

JMP = "JORGE LUIS MENDOZA PRADO\nCARMEN ROSA VILLANUEVA DIAZ\nWALTER HUGO QUISPE MAMANI"
JMP_LINES = JMP.splitlines()
VN = "NGUYEN VAN THANH\nTRAN THI MAI LAN\nLE QUOC TUAN"
VN_LINES = VN.splitlines()
ELECTED = (
    "THE FOLLOWING WERE ELECTED TO THE NATIONAL ASSEMBLY:\n\nJUAN CARLOS PEREZ\nMARIA LOPEZ GARCIA\nANTONIO RUIZ SOTO"
)
CONGRESS = (
    "THE FOLLOWING WERE ELECTED TO THE CONSTITUENT CONGRESS:\n\nJUAN CARLOS PEREZ\nMARIA LOPEZ GARCIA\n"
    "ANTONIO RUIZ SOTO"
)


# Rows still failing, each with why (strict xfails: a row that passes fails the run, to be moved back).
_PRONOUN_SURNAME = (
    "a surname that is a function word opening a sentence (`Do also said`) is not spread: every sentence's `He`"
    " would be masked"
)
_PARTS_IN_NO_RULE = (
    "names written family name first whose parts are all dictionary words, Korean syllables that are words, a"
    " hyphenated given name, or a name broken by a line end, page break or fullwidth letters are found by no rule"
    " (`family_first.py` needs a part no dictionary lists and one line)"
)
_LIKE_PLACES = (
    "a list line whose words the model names as places elsewhere is taken for a place (`ROSARIO VALENCIA CORDOBA`)"
)
_FUNCTION_WORD_LAST = "a list line's last word that is a function word (`NGUYEN VAN AN`) ends no name line"
_PLACE_IN_A_LIST = "a place after a comma in a list of places, with a person's find in it, is masked (`CHU LAI`)"
_WORD_AFTER_A_NAME = (
    "a short dictionary word after a name written family name first is taken for a part (`LI PENG TRIP`)"
)
KNOWN = {
    "surname Do after its full name (new)": _PRONOUN_SURNAME,
    "vietnamese names of dictionary words, capitals (old)": _PARTS_IN_NO_RULE,
    "vietnamese names of dictionary words, mixed case (old)": _PARTS_IN_NO_RULE,
    "korean names, capitals (old)": _PARTS_IN_NO_RULE,
    "korean family name park (old)": _PARTS_IN_NO_RULE,
    "korean hyphenated given name, capitals (old)": _PARTS_IN_NO_RULE,
    "korean name, mixed case (old)": _PARTS_IN_NO_RULE,
    "qiu he in capitals (old)": _PARTS_IN_NO_RULE,
    "family-first name across a line break (old)": _PARTS_IN_NO_RULE,
    "vietnamese letters, mixed case (old)": _PARTS_IN_NO_RULE,
    "page break and line separator inside names in prose (old)": _PARTS_IN_NO_RULE,
    "fullwidth letters (old)": _PARTS_IN_NO_RULE,
    "list of vietnamese names of dictionary words, capitals (old)": _PARTS_IN_NO_RULE,
    "list of vietnamese names of dictionary words, mixed case (old)": _PARTS_IN_NO_RULE,
    "list of korean names, capitals (old)": _PARTS_IN_NO_RULE,
    "list of persons named like places (old)": _LIKE_PLACES,
    "namesake of a member whose given name is AN (old)": _FUNCTION_WORD_LAST,
    "chu lai in a list of places (new)": _PLACE_IN_A_LIST,
    "a speech, a trip, vows after names (new)": _WORD_AFTER_A_NAME,
}


# (id, document body, private persons' names (or words of them) that must not be released)
OFFICIALS = [
    # new: an introduction of the strict form whose body is named before it, and is no elected body
    (
        "the assembly is a tenants assembly (new)",
        "RESIDENTS OF THE BARRIO FORMED A TENANTS ASSEMBLY LAST WEEK. THE FOLLOWING WERE ELECTED TO THE "
        f"ASSEMBLY:\n\n{JMP}",
        JMP_LINES,
    ),
    (
        "the congress is a teachers union's (new)",
        "THE HANOI TEACHERS UNION HELD ITS ANNUAL CONGRESS ON MAY 3. THE FOLLOWING WERE ELECTED TO THE "
        f"CONGRESS:\n\n{VN}",
        VN_LINES,
    ),
    (
        "its assembly, a student federation's (new)",
        f"THE STUDENT FEDERATION HELD ITS ANNUAL VOTE. THE FOLLOWING WERE ELECTED TO ITS ASSEMBLY:\n\n{JMP}",
        JMP_LINES,
    ),
    (
        "that congress, a party congress (new)",
        f"THE COMMUNIST PARTY HELD ITS TENTH CONGRESS IN HANOI. THE FOLLOWING WERE ELECTED TO THAT CONGRESS:\n\n{VN}",
        VN_LINES,
    ),
    # new: `named in` a body is mentioned there (parliamentary privilege), not made its member
    (
        "named in the house of commons (new)",
        f"THE FOLLOWING WERE NAMED IN THE HOUSE OF COMMONS:\n\n{JMP}",
        JMP_LINES,
    ),
    # new: an election's words after the body say whose election it is
    (
        "school mock election (new)",
        f"THE FOLLOWING WERE ELECTED TO THE NATIONAL ASSEMBLY IN THE SCHOOL MOCK ELECTION:\n\n{VN}",
        VN_LINES,
    ),
    (
        "candidates named in a party primary (new)",
        f"CANDIDATES NAMED TO THE SENATE IN THE PARTY PRIMARY BALLOT ARE:\n\n{JMP}",
        JMP_LINES,
    ),
    # new: a heading after an elected list with `PARTY`, `MOVEMENT` or `FRONT` and no word of NOT_MEMBERS
    ("dinner party guests after an elected list (new)", f"{ELECTED}\n\nDINNER PARTY GUESTS\n\n{JMP}", JMP_LINES),
    (
        "student movement leaders after an elected list (new)",
        f"{ELECTED}\n\nSTUDENT MOVEMENT LEADERS\n\n{JMP}",
        JMP_LINES,
    ),
    ("front desk clerks after an elected list (new)", f"{ELECTED}\n\nFRONT DESK CLERKS\n\n{JMP}", JMP_LINES),
    (
        "one volunteer after an elected list (new)",
        f"{ELECTED}\n\nFRONT LINE VOLUNTEERS\n\nJORGE LUIS MENDOZA PRADO",
        ["JORGE LUIS MENDOZA PRADO"],
    ),
    # new: headings that pass for a party's name after an elected list: quoted with a word no dictionary lists,
    # or naming a movement, front or coalition that is no party of the body (a guerrilla, a death squad)
    (
        "quoted poloff contacts after an elected list (new)",
        f'{CONGRESS}\n\n"POLOFF CONTACTS"\n\n{JMP}',
        JMP_LINES,
    ),
    ("quoted death squad after an elected list (new)", f'{CONGRESS}\n\n"GRUPO COLINA"\n\n{JMP}', JMP_LINES),
    (
        "guerrilla movement after an elected list (new)",
        f"{CONGRESS}\n\nMOVIMIENTO REVOLUCIONARIO TUPAC AMARU\n\n{JMP}",
        JMP_LINES,
    ),
    ("coalition volunteers after an elected list (new)", f"{CONGRESS}\n\nCOALITION VOLUNTEERS\n\n{JMP}", JMP_LINES),
    # new: a word one letter from a qualifier is taken for it (`NATIONALIST` for `NATIONAL`): a party's congress
    (
        "nationalist congress, a party's (new)",
        f"THE FOLLOWING WERE ELECTED TO THE NATIONALIST CONGRESS:\n\n{JMP}",
        JMP_LINES,
    ),
    # old in the text (at a598249 the model missed the names, leaving them visible), new as officials: a role
    # in the possessive after a name is the employer's (`THE MINISTER'S DRIVER`), a kin's role another's
    (
        "a minister's driver (old)",
        "POLICE DETAINED LE QUOC TUAN, THE MINISTER'S DRIVER, ON MAY 3.",
        ["QUOC TUAN"],
    ),
    (
        "an ambassador's cook, a governor's nanny (old)",
        "TRINH DUC DU, AMBASSADOR'S COOK, AND DANG THI NGOC THINH, THE GOVERNOR'S NANNY, WERE QUESTIONED.",
        ["TRINH DUC DU", "DANG THI NGOC THINH"],
    ),
    (
        "a judge's clerk, mixed case (old)",
        "Police questioned Dang Thi Ngoc Thinh, the judge's clerk, on May 3.\n\nShe was released.",
        ["Dang Thi Ngoc Thinh"],
    ),
    # old: one word of an official's family-first name makes a private person the official (`same person`):
    # a Chinese family name, a Vietnamese given name
    (
        "a petitioner surnamed wang, capitals (old)",
        "VICE FOREIGN MINISTER WANG YI MET THE AMBASSADOR ON MAY 3.\n\n2. (U) SEPARATELY, A PETITIONER SURNAMED "
        "WANG TOLD POLOFF THAT POLICE HAD BEATEN HIM.",
        ["SURNAMED WANG"],
    ),
    (
        "a petitioner surnamed wang, mixed case (old)",
        "Vice Foreign Minister Wang Yi met the Ambassador on May 3.\n\n2. (U) Separately, a petitioner surnamed "
        "Wang told Poloff that police had beaten him.",
        ["surnamed Wang"],
    ),
    (
        "a blogger known by a minister's given name (old)",
        "DEPUTY PRIME MINISTER NGUYEN TAN DUNG MET THE AMBASSADOR.\n\n2. (U) SEPARATELY, A BLOGGER KNOWN ONLY AS "
        "DUNG TOLD POLOFF HE HAD BEEN BEATEN.",
        ["AS DUNG"],
    ),
    # old: a private person whose name is made of words of two officials' names is `same person` (Vietnamese
    # and Chinese names share few words: NGUYEN, VAN, THI, TRAN)
    (
        "vietnamese chimera of two titled officials, capitals (old)",
        "POLOFF MET VICE MINISTER NGUYEN VAN THANH AND DEPUTY MINISTER TRAN THI BINH ON MAY 3.\n\n2. (U) "
        "SEPARATELY, POLICE DETAINED A BLOGGER, TRAN VAN THANH, AND A STUDENT, NGUYEN THI BINH, IN HANOI.",
        ["TRAN VAN THANH", "NGUYEN THI BINH"],
    ),
    (
        "vietnamese chimera of two titled officials, mixed case (old)",
        "Poloff met Vice Minister Nguyen Van Thanh and Deputy Minister Tran Thi Binh on May 3.\n\n2. (U) "
        "Separately, police detained a blogger, Tran Van Thanh, and a student, Nguyen Thi Binh, in Hanoi.",
        ["Tran Van Thanh", "Nguyen Thi Binh"],
    ),
    (
        "chinese chimera of two titled officials (old)",
        "POLOFF MET VICE MINISTER WANG GUANGYA AND ASSISTANT MINISTER LI HUI ON MAY 3.\n\n2. (U) SEPARATELY, "
        "POLICE DETAINED A PETITIONER, LI GUANGYA, IN BEIJING.",
        ["LI GUANGYA"],
    ),
    # old in the text (the model missed them at a598249): a role in a private body after a name
    (
        "chairwoman of a taxi cooperative (old)",
        "POLOFF MET DANG THI NGOC THINH, CHAIRWOMAN OF A LOCAL TAXI COOPERATIVE, ON MAY 3.",
        ["DANG THI NGOC THINH"],
    ),
    (
        "secretary of a parish council (old)",
        "HO THI THUY, SECRETARY OF THE THAI HA PARISH COUNCIL, WAS BEATEN BY POLICE.",
        ["HO THI THUY"],
    ),
    (
        "director of a private school, mixed case (old; masked in capitals)",
        "Poloff met Trinh Duc Du, director of a private language school in Hanoi, on May 3.\n\nDu said police "
        "had closed the school.",
        ["Trinh Duc Du", "Du said"],
    ),
    (
        "wife of a general (old)",
        "POLOFF MET DANG THI NGOC THINH, WIFE OF GENERAL PHAM VAN DONG, AND HUYNH THUC KHANG, A JOURNALIST.",
        ["DANG THI NGOC THINH"],
    ),
]


@pytest.mark.parametrize(("body", "names"), params(OFFICIALS, KNOWN))
def test_private_persons_not_released_as_officials(redactor, body: str, names: list[str]) -> None:
    assert_not_released(redactor, body, names)


# (id, document body, strings of a private person's name that must not be in the strict release)
STRICT = [
    # new: a surname that is a function word is no longer spread in mixed case, where it is a name
    (
        "surname Do after its full name (new)",
        "Poloff met Do Van Quynh, a shopkeeper, on May 3.\n\nMr. Do said police had closed his shop. Do also said "
        "he would appeal.",
        ["Do also", "Quynh"],
    ),
    (
        "surname To before and after a title (new)",
        "Poloff met To Thi Nhung, a nurse, on May 3.\n\nMs. To said she had been fired. According to To, the "
        "hospital had no reason.",
        ["met To", "to To,"],
    ),
    (
        "surname He after a title (new)",
        "Poloff met He Weifang, a law professor who is not an official, on May 3.\n\nProfessor He said the court "
        "was not independent. According to He, judges are told what to decide.",
        ["to He,"],
    ),
    # old: family-first names of dictionary words only are dropped (`_looks_like_a_name`), and the model misses
    # them
    (
        "vietnamese names of dictionary words, capitals (old)",
        "HO VAN TAM, A STUDENT, AND LE VAN HUNG, A DRIVER, WERE DETAINED. LAM VAN BAY WAS RELEASED.",
        ["HO VAN TAM", "TAM", "HUNG", "LAM VAN BAY"],
    ),
    (
        "vietnamese names of dictionary words, mixed case (old)",
        "Police detained Ho Van Tam, a student, and Le Van Hung, a driver.\n\nLam Van Bay was released.",
        ["Ho Van Tam", "Tam", "Hung", "Lam Van Bay"],
    ),
    # old: Korean given names with a syllable that is a word (`SUNG`, `SO`, `JUN` a month) or a hyphen
    (
        "korean names, capitals (old)",
        "PARK MIN JUN, A STUDENT, AND MOON SO RI, A NURSE, AND HAN SUNG JOO, A TAXI DRIVER, WERE DETAINED.",
        ["PARK MIN JUN", "MOON SO RI", "HAN SUNG JOO", "JOO"],
    ),
    # old: `PARK` opens the family-first find, and a find opening with a THING_WORDS word (`park`) is dropped
    (
        "korean family name park (old)",
        "POLOFF MET PARK GEUN HYE, A LOCAL SHOPKEEPER, AND HER SON.",
        ["PARK", "HYE"],
    ),
    (
        "korean hyphenated given name, capitals (old)",
        "LEE SOO-JIN, A STUDENT ACTIVIST, AND PARK JI-HOON, HER CLASSMATE, WERE DETAINED.",
        ["JI-HOON"],
    ),
    (
        "korean name, mixed case (old)",
        "Park Ji Hoon, a student, was detained on Monday.\n\nHe had been sitting near the Embassy.",
        ["Hoon", "Park Ji"],
    ),
    # old: a Chinese given name that is a pronoun, in capitals
    (
        "qiu he in capitals (old)",
        "POLOFF MET QIU HE, A LOCAL FARMER, ON MAY 3. MR. HE SAID POLICE HAD SEIZED HIS LAND.",
        ["QIU"],
    ),
    # old (was wholly visible, now its last part): a name broken at a telegram's line end
    (
        "family-first name across a line break (old)",
        "POLOFF MET A LOCAL FARMER, TRINH DUC\nDU, WHO COMPLAINED ABOUT LAND SEIZURES.",
        ["DU"],
    ),
    # old: Vietnamese letters, a no-break space or two spaces between the parts (family-first reads ASCII
    # words one space apart)
    (
        "vietnamese letters, mixed case (old)",
        "Police detained Nguyễn Văn Thành, a blogger, and Lê Quốc Tuấn, a student, on May 3.\n\nTrịnh Đức Dũ "
        "was released.",
        ["Nguyễn", "Lê", "Tuấn", "Trịnh", "Dũ"],
    ),
    (
        "vietnamese letters, capitals (old)",
        "POLICE DETAINED NGUYỄN VĂN THÀNH, A BLOGGER, AND LÊ QUỐC TUẤN, A STUDENT. TRỊNH ĐỨC DŨ WAS RELEASED.",
        ["NGUYỄN", "ĐỨC"],
    ),
    (
        "no-break spaces in names (old)",
        "POLICE DETAINED TRINH\u00a0DUC\u00a0DU, A BLOGGER, AND LE\u00a0QUOC\u00a0TUAN, A STUDENT.",
        ["TRINH", "DU", "QUOC"],
    ),
    (
        "two spaces in names (old)",
        "POLICE DETAINED TRINH  DUC  DU, A BLOGGER, AND LE  QUOC TUAN, A STUDENT.",
        ["TRINH", "DU", "LE"],
    ),
    (
        "page break and line separator inside names in prose (old)",
        "POLICE DETAINED TRINH DUC\fDU AND LE QUOC\u2028TUAN.",
        ["DU", "QUOC", "TUAN"],
    ),
    (
        "fullwidth letters (old)",
        "POLICE DETAINED \uff2c\uff25 \uff31\uff35\uff2f\uff23 \uff34\uff35\uff21\uff2e AND TRINH DUC DU.",
        ["\uff31\uff35\uff2f\uff23"],
    ),
    # old: lists of names of dictionary words only are no lists, and no line is a family-first name
    (
        "list of vietnamese names of dictionary words, capitals (old)",
        "DETAINED BLOGGERS:\n\nHO VAN TAM\nLE VAN HUNG\nLAM VAN BAY\nTA VAN SON",
        ["HO VAN TAM", "LE VAN HUNG", "LAM VAN BAY", "TA VAN SON"],
    ),
    (
        "list of vietnamese names of dictionary words, mixed case (old)",
        "Detained bloggers:\n\nHo Van Tam\nLe Van Hung\nLam Van Bay\nTa Van Son",
        ["Ho Van Tam", "Le Van Hung", "Lam Van Bay", "Ta Van Son"],
    ),
    (
        "list of korean names, capitals (old)",
        "DETAINED STUDENTS:\n\nPARK MIN JUN\nMOON SO RI\nHAN SUNG JOO\nLEE JI-HOON",
        ["PARK MIN JUN", "MOON SO RI", "HAN SUNG JOO"],
    ),
    # old: a list whose names are words of places the text names (`_listed_places_line` drops such lines)
    (
        "list of persons named like places (old)",
        "FLIGHTS FROM ROSARIO, VALENCIA, CORDOBA, SANTIAGO, LEON, SORIA, TOLEDO AND LIMA WERE DELAYED. THE "
        "FOLLOWING PASSENGERS WERE DETAINED AT THE AIRPORT:\n\nROSARIO VALENCIA CORDOBA\nSANTIAGO LEON SORIA\n"
        "MERCEDES TOLEDO LIMA",
        ["ROSARIO VALENCIA CORDOBA", "TOLEDO LIMA"],
    ),
    # old: a given name that is a function word (`AN`) ends a member's line of an elected list as no name
    # line, and the name's other parts spread to a private namesake leave it visible
    (
        "namesake of a member whose given name is AN (old)",
        "THE FOLLOWING WERE ELECTED TO THE NATIONAL ASSEMBLY:\n\nNGUYEN VAN AN\nTRAN THI BICH NGOC\n"
        "LE QUOC KHANH\n\n2. (U) SEPARATELY, POLICE DETAINED A 19-YEAR-OLD STUDENT, ALSO NAMED NGUYEN VAN AN, "
        "OUTSIDE A POLLING STATION.",
        ["AN"],
    ),
]


@pytest.mark.parametrize(("body", "names"), params(STRICT, KNOWN))
def test_private_names_masked_whole_under_strict(redactor, body: str, names: list[str]) -> None:
    assert_masked_whole(redactor, body, names)


# (id, document body, words that are no person's name and must stay, under the strict policy)
PRECISION = [
    # new: places, things and companies read as family-first names (no THING_WORDS word after them)
    ("city of cao lanh (new)", "THE TEAM DROVE FROM PHAN THIET TO CAO LANH BEFORE FLYING HOME.", ["CAO LANH"]),
    ("chu lai air base (new)", "THE CONVOY LEFT CHU LAI AIR BASE AT DAWN.", ["CHU LAI AIR BASE"]),
    ("chu lai in a list of places (new)", "THEY STOPPED IN BEN TRE, LAO CAI, CHU LAI AND TAY NINH.", ["CHU LAI"]),
    ("ho chi minh trail (new)", "VETERANS WALKED THE HO CHI MINH TRAIL LAST MONTH.", ["HO CHI MINH TRAIL"]),
    ("port of le havre (new)", "THE SHIP SAILED FROM LE HAVRE PORT ON MONDAY.", ["LE HAVRE PORT"]),
    (
        "mai linh taxi company (new)",
        "THE DEAL INVOLVED MAI LINH TAXI, HAN JIN SHIPPING AND VIET JET AIR.",
        ["MAI LINH TAXI"],
    ),
    ("cao dai, a religion (new)", "FOLLOWERS OF CAO DAI MET IN TAY NINH.", ["CAO DAI"]),
    (
        "list of places (new)",
        "THE TEAM VISITED THE FOLLOWING:\n\nCAO LANH\nCHU LAI\nMAI CHAU\nKIM BOI\nLAM HA",
        ["CAO LANH", "CHU LAI"],
    ),
    ("yu gi oh cards (new)", "VENDORS SOLD YU GI OH CARDS OUTSIDE THE SCHOOL.", ["YU GI OH"]),
    (
        "taiwan companies (new)",
        "THE TAIWAN FIRMS SHIN KONG LIFE AND CHUNG HWA TELECOM BID ON THE LICENSE.",
        ["SHIN KONG LIFE", "CHUNG HWA TELECOM"],
    ),
    (
        "newspapers, and a word after one (new)",
        "THE PARTY DAILY REN MIN RI BAO AND THE FRONT'S DAI DOAN KET BOTH CARRIED THE STORY.",
        ["REN MIN RI BAO", "DAI DOAN KET", "BOTH"],
    ),
    (
        "seoul districts (new)",
        "THE AMBASSADOR'S RESIDENCE IS IN HAN NAM DONG; THE COURT IS IN SEO CHO GU.",
        ["HAN NAM DONG", "SEO CHO GU"],
    ),
    ("chinese province written apart (new)", "FLOODS HIT HU BEI AND HU NAN LAST WEEK.", ["HU BEI"]),
    ("independence palace (new)", "THE CEREMONY WAS HELD AT DINH DOC LAP IN THE CITY CENTER.", ["DINH DOC LAP"]),
    (
        "places, companies, a newspaper, a trail, mixed case (new)",
        "The team drove from Phan Thiet to Cao Lanh.\n\nThe Taiwan firm Shin Kong Life bid on the license, as did "
        "Mai Linh Taxi. The party daily Ren Min Ri Bao carried the story.\n\nVeterans walked the Ho Chi Minh "
        "Trail last month, and visited the Cao Dai Holy See.",
        ["Phan Thiet", "Cao Lanh", "Shin Kong Life", "Mai Linh Taxi", "Ren Min Ri Bao", "Ho Chi Minh Trail", "Cao Dai"],
    ),
    # new: a dictionary word of one syllable after a two-part name is taken for a third part
    (
        "a speech, a trip, vows after names (new)",
        "EMBASSY OFFICERS ATTENDED THE HU JINTAO SPEECH. THE LI PENG TRIP WAS CANCELLED. SUBJECT OF REFTEL WAS "
        "KIM JONG UN VOWS REVENGE.",
        ["SPEECH", "TRIP", "VOWS"],
    ),
    # new: an acronym after a family name is its given name (`SYLLABLE_RE`: `EAP`, `AIT`), and is spread
    (
        "acronyms after a family name, spread (new)",
        "EMBOFF ASKED THE EAP DESK AND WU EAP STAFFERS FOR GUIDANCE. AFTER MEETING LIN AIT STAFF DEPARTED.",
        ["THE EAP DESK", "AIT STAFF"],
    ),
    # new: a part of a family-first name is spread to every mention of the word (`family-first` introduces)
    (
        "long of a name spread to a long time (new)",
        "NGUYEN VAN LONG, A SHOPKEEPER, TOLD POSTOFF THAT TALKS WOULD TAKE A LONG TIME. THE PORT OF LONG AN IS CLOSED.",
        ["A LONG TIME", "LONG AN"],
    ),
    (
        "nam of a name spread to viet nam (new)",
        "TRAN VAN NAM, A FARMER, SAID FLOODS IN CENTRAL VIET NAM HAD DESTROYED HIS HOUSE.",
        ["VIET NAM"],
    ),
    (
        "ha of a name spread to ha noi (new)",
        "LE THI HA, A TEACHER, MOVED FROM HA NOI TO HA LONG BAY LAST YEAR.",
        ["HA NOI", "HA LONG BAY"],
    ),
    ("son of a name spread to his son (new)", "PHAM VAN SON, A DRIVER, SAID HIS SON WAS DETAINED.", ["HIS SON"]),
    (
        "ho of a name spread to ho chi minh city (new)",
        "HO THI THUY, A TEACHER, WAS DETAINED IN HO CHI MINH CITY ON MONDAY.",
        ["HO CHI MINH CITY"],
    ),
    (
        "ma of a name spread to ma on shan (new)",
        "MA XIAOTIAN, A LOCAL TRADER, SAID THE MA ON SHAN ROAD WAS CLOSED.",
        ["MA ON SHAN"],
    ),
    (
        "sun of a name spread to the sun (new)",
        "SUN LIJUN, A FARMER, SAID HE WORKED FROM SUN UP TO SUN DOWN.",
        ["SUN UP"],
    ),
    ("song of a name spread to a song (new)", "SONG ZHIQIANG, A STUDENT, SANG A SONG AT THE RALLY.", ["A SONG"]),
    (
        "lan of a name spread to a lan network (new)",
        "DANG THI LAN, A WORKER, WAS DETAINED. THE LAN NETWORK WAS DOWN.",
        ["LAN NETWORK"],
    ),
    (
        "dong of a name spread to the currency (new)",
        "PHAM VAN DONG HIGH SCHOOL STUDENTS MET THE POLOFF. PRICES ARE IN DONG.",
        ["IN DONG"],
    ),
    (
        "lee of a name spread to a school (new)",
        "LEE JAE HOON, A STUDENT, SAID HE WAS BEATEN. THE LEE KUAN YEW SCHOOL HOSTED A FORUM.",
        ["THE LEE"],
    ),
    (
        "sun and long of names spread, mixed case (new)",
        "Police detained Sun Lijun and Nguyen Van Long, two local farmers, on Tuesday.\n\nSun Yat-sen University "
        "students protested in Long An province.",
        ["Sun Yat-sen", "Long An"],
    ),
    # new (lists of names came after a598249): the parts of a list's lines are spread as well
    (
        "parts of a private list's lines spread (new)",
        "THE FOLLOWING BLOGGERS WERE DETAINED:\n\nNGUYEN VAN LONG\nTRAN THI HA\nPHAM MINH SON\n\n2. (U) THE "
        "DETENTIONS IN HA NOI TOOK A LONG TIME, ONE MOTHER SAID OF HER SON.",
        ["HA NOI", "A LONG TIME", "HER SON"],
    ),
    (
        "parts of an elected list's lines spread (new)",
        "THE FOLLOWING WERE ELECTED TO THE NATIONAL ASSEMBLY:\n\nNGUYEN VAN LONG\nTRAN THI HA\nPHAM MINH SON\n"
        "\n2. (U) COUNTING IN HA NOI TOOK A LONG TIME.",
        ["HA NOI", "A LONG TIME"],
    ),
]


@pytest.mark.parametrize(("body", "keep"), params(PRECISION, KNOWN))
def test_not_names_left_visible(redactor, body: str, keep: list[str]) -> None:
    assert_kept(redactor, body, keep)
