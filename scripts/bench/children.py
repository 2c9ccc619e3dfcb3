#!/usr/bin/env python3
"""Synthetic children for scripts/bench-search, as tab-separated rows for the children and
child_names tables. Realistic repetition: households of one to four siblings share a family
name and a postcode; common names follow a long-tailed distribution (Smith about 1.2%, then
a long tail of rarer names); about one child in twelve has a known-as name and one in
twenty-five a previous family name. Deterministic for a given seed.

usage: children.py N LA_ID PRACTITIONER_ID OUT_DIR [SEED]
"""
import datetime
import random
import re
import sys
import uuid

GIVEN = """oliver george noah arthur harry leo muhammad jack charlie oscar jacob henry thomas
freddie alfie theo william theodore archie joshua alexander james isaac edward lucas tommy finley max
logan ethan mohammed teddy benjamin arlo joseph sebastian elijah adam hugo louie reggie samuel daniel
albert ronnie harrison frederick rory olivia amelia isla ava mia ivy lily isabella rosie sophia grace
willow freya florence emily ella poppy evie elsie charlotte evelyn sienna sofia daisy phoebe sophie
alice harper matilda ruby emilia maya millie isabelle jessica eva imogen layla esme ellie luna
penelope mila erin aria bonnie thea hallie chloe eliza scarlett jayden kayden aiden jason ryan""".split()

FAMILY = """smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson
thompson wright walker white edwards hughes green hall lewis harris clarke patel jackson wood turner
martin cooper hill ward morris moore clark lee king baker harrison morgan allen james scott phillips
watson davis parker price bennett young griffiths mitchell kelly cook carter richardson bailey collins
bell shaw murphy miller cox richards khan marshall anderson simpson ellis adams singh begum wilkinson
foster chapman powell webb rogers gray mason ali hunt hussain campbell matthews owen palmer holmes
mills barnes knight lloyd butler russell barker fisher stevens jenkins murray dixon harvey graham
pearson ahmed fletcher walsh kaur gibson howard andrews stewart elliott reynolds saunders payne fox
ford pearce day brooks west lawrence cole atkinson bradley spencer gill dawson ball burton o'brien
watts rose booth perry ryan grant wells armstrong francis rees hayes hart hudson newman barrett webster
hunter gregory carr lowe page marsh riley dunn woods parsons berry stone reid holland hawkins harding
porter robertson newton oliver reed kennedy williamson bird gardner shah dean lane cooke bates henderson
parry burgess bishop walton burns nicholson shepherd ross cross long freeman warren nicholls hamilton
byrne sutton mcdonald yates hodgson robson curtis hopkins o'connor harper coleman watkins moss mccarthy
chambers o'neill griffin sharp hardy wheeler potter osborne johnston gordon doyle wallace george jordan
hutchinson rowe burke may pritchard gilbert willis higgins read miles stevenson stephenson hammond
arnold buckley walters hewitt barber nelson slater austin sullivan whitehead mann frost lambert
stephens blake akhtar lynch goodwin barton woodward thomson cunningham quinn barnett baxter bibi clayton
nash greenwood jennings holt kemp poole gallagher bond stokes tucker davidson fowler heath norman
middleton lawson banks french stanley jarvis gibbs ferguson hayward carroll douglas dickinson todd
barlow peters lucas knowles hartley miah simmons morton alexander field""".split()

ONSET = "ab al an ar as ba be bl br ca ch co cr da de dr el fa fe fl ga gr ha he ka ke kw la le ma me mo na ne ol pa pe ra re ro sa se sh ta te tr va wa ya za".split()
MIDDLE = "b d g k l m n r s t v z nd rr ll st nk ng sh th rd lm".split()
ENDING = "a an ar as by da den dy el en er et ey ford ham ia ie in is ka ko la ley lin ly man na ne nik o off on or ov ra ri sen ski son ton ur wick yk".split()
DISTRICTS = [f"{area}{n}" for area in "AB AL B BA BB BD BH BL BN BR BS CB CF CH CM CO CR CT CV CW DA DE DH DL DN DT DY E EC EN EX FY GL GU HA HD HG HP HR HU HX IG IP KT L LA LE LL LN LS LU M ME MK N NE NG NN NP NR NW OL OX PE PL PO PR RG RH RM S SE SG SK SL SM SN SO SP SR SS ST SW SY TA TF TN TQ TR TS TW UB W WA WD WF WN WR WS WV YO".split() for n in range(1, 25)]
UNIT = "ABDEFGHJLNPQRSTUWXYZ"
NICK = {"alexander": "alex", "benjamin": "ben", "charlotte": "lottie", "elizabeth": "beth", "frederick": "fred",
        "isabella": "bella", "joseph": "joe", "matilda": "tilly", "samuel": "sam", "theodore": "teddy",
        "william": "billy", "thomas": "tom", "daniel": "dan", "jessica": "jess", "penelope": "penny"}


def zipf_weights(n, exponent):
    return [1 / (rank ** exponent) for rank in range(1, n + 1)]


def title(name):
    return "-".join("'".join(p.capitalize() for p in part.split("'")) for part in name.split("-"))


def key(name):
    return " ".join(re.findall(r"[a-z]+", name.lower()))


def nhs_number(rng):
    while True:
        digits = [rng.randrange(10) for _ in range(9)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def main():
    count, la, practitioner, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 1)
    rare = [o + m + e for o in ONSET for m in MIDDLE for e in ENDING]
    rng.shuffle(rare)
    rare = rare[:20000]
    # Smith ~1.2%: the named list carries 30% of children, invented rarer names the rest.
    family_pool, family_w = FAMILY + rare, zipf_weights(len(FAMILY), 0.6)
    family_w = [w / sum(family_w) * 0.3 for w in family_w]
    rare_w = zipf_weights(len(rare), 0.5)
    family_w += [w / sum(rare_w) * 0.7 for w in rare_w]
    given_pool = GIVEN + [o + e for o in ONSET for e in ENDING]
    # Oliver ~1.8%: the named list carries half of children.
    given_w = zipf_weights(len(GIVEN), 0.4)
    given_w = [w / sum(given_w) * 0.5 for w in given_w]
    tail = len(given_pool) - len(GIVEN)
    given_w += [0.5 / tail] * tail
    postcodes = [f"{rng.choice(DISTRICTS)} {rng.randrange(10)}{rng.choice(UNIT)}{rng.choice(UNIT)}" for _ in range(count // 6 + 1)]
    created = datetime.datetime.now(datetime.timezone.utc).isoformat()
    latest = datetime.date.today().toordinal() - 1
    children = open(f"{out}/children.tsv", "w")
    names = open(f"{out}/child_names.tsv", "w")
    made = 0
    families = iter(rng.choices(family_pool, family_w, k=count))
    givens = iter(rng.choices(given_pool, given_w, k=count * 2))
    while made < count:
        family = title(next(families))
        postcode = rng.choice(postcodes) if rng.random() < 0.97 else ""
        for _ in range(min(count - made, rng.choice([1, 1, 1, 2, 2, 3, 4]))):
            child = str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper()
            given = title(next(givens))
            born = datetime.date.fromordinal(latest - rng.randrange(18 * 365)).isoformat()
            gender = rng.choice(["male", "female"]) if rng.random() < 0.98 else "unknown"
            nhs = nhs_number(rng) if rng.random() < 0.9 else ""
            children.write("\t".join([child, given, family, born, gender, postcode, nhs, "", la,
                                      practitioner, created, postcode.split(" ")[0]]) + "\n")
            rows = [("current", given, family)]
            if rng.random() < 0.08:
                rows.append(("known-as", title(NICK.get(given.lower(), given[:3])), family))
            if rng.random() < 0.04:
                rows.append(("previous", given, title(rng.choice(FAMILY))))
            for kind, g, f in rows:
                names.write("\t".join([str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper(), child, kind, g, f,
                                       key(f"{g} {f}"), practitioner, created, born]) + "\n")
            made += 1
    children.close()
    names.close()


if __name__ == "__main__":
    main()
