"""Word lists the rules read: reporting verbs, titles, organisation words, places, stop words."""

from __future__ import annotations

REPORTING_VERBS = frozenset("""
said says say told tells declared declares wrote writes tweeted tweets warned warns urged urges
announced announces added adds stated states explained explains insisted insists argued argues
claimed claims noted notes asked asks replied replies responded responds continued continues
concluded concludes remarked remarks admitted admits acknowledged acknowledges confirmed
confirms denied denies promised promises vowed vows threatened threatens demanded demands
posted posts shouted shouts recalled recalls commented comments observed observes stressed
stresses emphasized emphasised emphasizes emphasises predicted predicts charged charges
complained complains countered counters cautioned cautions affirmed affirms conceded concedes
proclaimed proclaims pledged pledges testified testifies
dijo dice afirmó afirma declaró declara señaló señala aseguró asegura indicó indica expresó
expresa manifestó manifiesta sostuvo sostiene agregó agrega añadió añade explicó explica
advirtió advierte denunció denuncia anunció anuncia escribió escribe sentenció comentó comenta
precisó subrayó destacó remarcó insistió respondió preguntó exclamó tuiteó publicó reiteró
recalcó enfatizó acotó apuntó
""".split())

# Words that may sit between a speaker and the verb: "Mamani later said".
ADVERBS = frozenset("""also later then again once further simply flatly angrily publicly
    previously recently repeatedly bluntly quickly proudly firmly openly told""".split())

PRONOUNS = {"he": "person", "she": "person", "él": "person", "ella": "person",
            "they": "group", "ellos": "group", "ellas": "group", "it": "group"}

# Titles before a name. The value is the role word the title stands for.
TITLES = {
    "general": "general", "gen.": "general", "gral.": "general", "sen.": "senator",
    "senator": "senator", "senadora": "senator", "senador": "senator", "president": "president",
    "pres.": "president", "presidente": "president", "presidenta": "president",
    "minister": "minister", "ministro": "minister", "ministra": "minister",
    "vice": "vice", "prime": "prime", "mr.": "", "mrs.": "", "ms.": "", "mr": "", "mrs": "", "ms": "",
    "dr.": "doctor", "rep.": "representative", "representative": "representative",
    "gov.": "governor", "governor": "governor", "mayor": "mayor", "alcalde": "mayor",
    "colonel": "colonel", "col.": "colonel", "coronel": "colonel", "captain": "captain",
    "capt.": "captain", "lt.": "lieutenant", "judge": "judge", "juez": "judge",
    "bishop": "bishop", "archbishop": "archbishop", "cardinal": "cardinal", "pope": "pope",
    "commander": "commander", "comandante": "commander", "secretary": "secretary",
    "ambassador": "ambassador", "embajador": "ambassador", "diputado": "deputy",
    "diputada": "deputy", "deputy": "deputy", "chancellor": "chancellor", "sr.": "", "sra.": "",
    "don": "", "doña": "", "former": "former", "ex": "former", "interim": "interim",
    "sheriff": "sheriff", "chief": "chief", "professor": "professor", "prof.": "professor",
}

# Nouns after "the" that stand for a person already named ("the senator said").
PERSON_NOUNS = frozenset("""minister senator president leader secretary spokesman spokeswoman
    spokesperson official general governor mayor deputy ambassador chairman chairwoman chair
    founder candidate head chief director commander colonel captain judge lawyer activist
    organizer organiser unionist miner farmer worker teacher analyst economist historian
    professor author writer journalist reporter man woman politician lawmaker legislator
    businessman businesswoman bishop priest officer representative vice-minister viceminister
    ministro ministra senador senadora presidente presidenta dirigente líder portavoz vocero
    vocera secretario secretaria alcalde diputado diputada""".split())

# Words that make a name an organisation of a kind: the first found decides.
ORG_WORDS = {
    "party": "party", "partido": "party", "movement": "party", "movimiento": "party",
    "frente": "party", "front": "party", "alliance": "party", "alianza": "party",
    "ministry": "government", "ministerio": "government", "government": "government",
    "gobierno": "government", "department": "government", "senate": "government",
    "congress": "government", "parliament": "government", "assembly": "government",
    "army": "government", "police": "government", "policía": "government", "military": "government",
    "administration": "government", "court": "government", "tribunal": "government",
    "council": "organization", "ejército": "government", "forces": "government",
    "fuerzas": "government", "office": "government", "agency": "government",
    "commission": "government", "state": "government", "cabinet": "government",
    "inc.": "company", "inc": "company", "corp.": "company", "corp": "company",
    "corporation": "company", "company": "company", "ltd": "company", "ltd.": "company",
    "s.a.": "company", "llc": "company", "bank": "company", "banco": "company",
    "group": "company", "holdings": "company", "mining": "company", "airlines": "company",
    "central": "organization", "union": "organization", "confederation": "organization",
    "confederación": "organization", "federation": "organization", "federación": "organization",
    "sindicato": "organization", "association": "organization", "asociación": "organization",
    "organization": "organization", "organisation": "organization", "committee": "organization",
    "comité": "organization", "institute": "organization", "instituto": "organization",
    "center": "organization", "centre": "organization", "foundation": "organization",
    "fundación": "organization", "university": "organization", "universidad": "organization",
    "church": "organization", "iglesia": "organization", "league": "organization",
    "network": "organization", "site": "organization", "news": "organization",
    "times": "organization", "post": "organization", "press": "organization",
    "radio": "organization", "television": "organization", "tv": "organization",
    "agencia": "organization", "board": "organization", "fund": "organization",
    "workers": "organization", "trabajadores": "organization", "obrera": "organization",
    "miners": "organization", "mineros": "organization", "coalition": "organization",
    "society": "organization", "club": "organization", "guard": "government",
    "nations": "organization", "bloc": "organization", "caucus": "organization",
}

PLACES = frozenset(w.strip() for w in """bolivia,la paz,el alto,santa cruz,cochabamba,
potosí,potosi,sucre,oruro,tarija,beni,pando,chapare,senkata,sacaba,yungas,altiplano,chuquisaca,
argentina,brazil,brasil,chile,peru,perú,ecuador,colombia,venezuela,paraguay,uruguay,mexico,méxico,
cuba,nicaragua,honduras,guatemala,el salvador,costa rica,panama,panamá,united states,us,u.s.,usa,
america,latin america,south america,washington,new york,miami,spain,españa,madrid,france,paris,
london,europe,germany,russia,china,canada,buenos aires,santiago,lima,quito,bogotá,caracas,
montevideo,asunción,havana,rio de janeiro,geneva,uk,britain,great britain,england,
wall street,latin,catavi,siglo xx,uyuni,montero,trinidad,cobija,llallagua,haiti,north america,central america,berlin,moscow,beijing,japan,tokyo,india,africa,asia,ottawa,brasília,brasilia,são paulo,sao paulo,rome,italy,vienna,asuncion,bogota,mexico city,santa cruz de la sierra""".replace("\n", "").split(","))

STOP_WORDS = frozenset("""
the a an this that these those it its he she they we i you his her their our my your
in on at for from to by with after before during since until last next but and or if when
while as according however meanwhile following yet also still now then there here what who
why how where which some many most all both each several today yesterday tomorrow earlier
later over under among despite although because even such only not no yes just more other
another one two three four five first second third new its every any few much nor so thus
once both either neither instead indeed already again ago about against between within without
through throughout upon via per than outside inside into onto de del la las los el un una unos
unas en por para con según pero y o que este esta estos estas ese esa hoy ayer
monday tuesday wednesday thursday friday saturday sunday lunes martes miércoles jueves viernes
sábado domingo january february march april may june july august september october november
december enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre
noviembre diciembre week month year president minister general senator sen gen mr mrs ms dr
read more photo video update editor note advertisement subscribe share click
""".split())

# Lowercase words allowed inside a name: "Organization of American States", "José de la Cruz".
NAME_PARTICLES = ("de", "del", "la", "las", "los", "y", "of", "for", "and", "the", "van", "von",
                  "da", "dos", "do", "di", "le", "du", "bin", "al", "el")
ENGLISH_PARTICLES = frozenset(("of", "for", "and", "the"))
