"""What people in crisis really type, per language: the data behind `flows.crisis.detect`.

Each phrase is matched as whole words after `flows.crisis.normalise` (case, accents, punctuation and
apostrophes do not matter, so write phrases naturally). `{a|b}` offers alternatives; a word ending in
`*` matches any word starting so ("suicid*": suicide, suicidal); a word starting with `!` must not come
next ("carbon monoxide !alarm*": not "no carbon monoxide alarm"). Every list is read whatever language
the resident chose, because people mix languages.

Phrases come in two strengths: a crisis (suicide or self-harm, domestic abuse, homeless tonight, danger
at home) answers before anything else; an everyday idiom ("the damp is killing me") gets a gentle "are
you safe?". Only the first person and the present: "I was homeless in 2019" is not a crisis tonight.

The lists in languages other than English have not yet been reviewed by a native speaker (see
docs/translating.md): add the phrases people really use, and a near-miss test for each new one.
"""

from __future__ import annotations

from typing import Final

# Kinds, as strings here so the data has no imports: "suicide", "domestic_abuse", "homeless_tonight",
# "danger_at_home", "idiom".
PHRASES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "en": {
        "suicide": (
            "suicid*",
            "{sucid*|suicdi*|suiside*}",  # misspelt, as typed in distress
            "{kill|killing|kil} {myself|my self|meself}",
            "{end|ending|take|taking} my {own |}life",
            "take my life",
            "{end|ending} it all",
            "want to end it",
            "{want to|wanna|going to|gonna} die",
            "{want to|wanna|going to|gonna} kms",
            "unalive {myself|me}",
            "no point {going on|in going on|living|in living|carrying on|in carrying on|in life}",
            "{ive|i have|i} {taken|took|swallowed} {pills|tablets|an od}",
            "{taken|took|swallowed} {all my|all of my|all the|loads of|lots of|a load of|too many|a bottle of|"
            "a packet of|a box of|the whole packet of|a handful of} "
            "{pills|tablets|meds|medication|paracetamol|painkillers|sleeping pills}",
            "wish i {was|were} dead",
            "better off dead",
            "better off without me",
            "{no reason|nothing} to live for",
            "no reason to live",
            "{dont|do not|dnt} {want to|wanna} {live|be alive|wake up}",
            "{dont|do not} want to be here {anymore|any more}",
            "{cant|cannot|can not|cnt} go on",
            "self {harm*|injur*}",
            "selfharm*",
            "{hurt|hurting|harm|harming|cut|cutting|burn|burning} myself",
            "{overdose|overdosed|overdosing}",
            "{hang|hanging} myself",
        ),
        "domestic_abuse": (
            "domestic {abuse|violence}",
            "abusive {partner|husband|boyfriend|wife|girlfriend|relationship|ex}",
            "coercive control*",
            "{partner|husband|boyfriend|wife|girlfriend|ex|he|she} "
            "{hits|hit|beats|beat|hurts|hurt|kicks|kicked|chokes|choked|strangles|strangled|attacks|attacked|"
            "punches|punched|slaps|slapped|pushes|pushed|shoves|shoved|rapes|raped} me",
            "{partner|husband|boyfriend|wife|girlfriend|ex} {is |keeps |has been |}"
            "{threatening|threatens|threatened|stalking|stalks|harassing} me",
            "{partner|husband|boyfriend|wife|girlfriend|ex} is {hurting|abusing|beating|hitting|killing} me",
            "{scared|afraid|frightened|terrified} of my {partner|husband|boyfriend|wife|girlfriend|ex}",
            "{scared|afraid|frightened} to go home",
            "{threatens|threatened|threatening} to kill me",
            "{hes|shes|he is|she is} going to kill me",
            "{hell|shell|he will|she will} kill me",
        ),
        "homeless_tonight": (
            "homeless {tonight|today}",
            "{nowhere|no where|no place|no home} to {sleep|stay|go|live} {tonight|today}",
            "nowhere to sleep",
            "{sleeping|sleep} rough",
            "{sleeping|sleep} {on the street|on the streets|in my car|in the car|in a car|in the park}",
            "on the {street|streets} tonight",
            "{kicked|thrown|locked} out {tonight|today}",
            "{evicted|eviction} {today|tonight}",
            "bailiffs {are coming|coming|come} today",
        ),
        "danger_at_home": (
            "{smell|smells|smelling} {of gas|gas}",
            "gas {leak|leaking|smell}",
            "leaking gas",
            "carbon monoxide !alarm* !detector*",  # "no carbon monoxide alarm" is a complaint, not an emergency
            "{co|carbon monoxide} {alarm|detector} {going off|is going off|beeping|went off|keeps going off}",
            "{ceiling|roof|wall|floor|stairs} {has |is |}"
            "{collapsed|collapsing|falling down|fell down|caved in|falling in|fallen in|fell in|come down|coming down|"
            "came down}",
            "{exposed|live|bare} wires",
            "{sparks|sparking} {from|in|at}",
            "{socket|sockets|plug|fuse box|light|lights|wires|wiring|meter} {is |are |}{sparking|smoking|burning}",
            "electric shock",
            "{flat|house|home|kitchen|building} is on fire",
            "{fire|smoke} in {my|the} {flat|house|home|kitchen}",
            "water {is |}{coming |pouring |leaking |dripping |}{in|into|through|out of|from} the "
            "{lights|light|electrics|sockets|socket|fuse box}",
        ),
        "idiom": (
            "{killing|kill} me",
            "{will|ll} be the death of me",
            "{cant|cannot} {take|stand} {it|this} {anymore|any more}",
            "{cant|cannot} cope",
            "end of my tether",
            "breaking point",
            "{im|i am} dying !to",  # "I'm dying to get this fixed" is eagerness
            "freezing to death",
        ),
    },
    "cy": {
        "suicide": (
            "{lladd|ladd} fy hun",
            "hunanladd*",
            "{eisiau|isio|moyn|am} marw",
            "{diweddu|gorffen} fy mywyd",
            "dod a fy mywyd i ben",
            "rhoi diwedd ar fy mywyd",
            "dim rheswm i fyw",
            "ddim {eisiau|isio|moyn} byw",
            "hunan niweid*",
            "{niweidio|anafu|torri} fy hun",
        ),
        "domestic_abuse": (
            "cam drin domestig",
            "trais domestig",
            "{fy mhartner|fy ngwr|fy ngwraig|fy nghariad|mae en|mae on} yn fy {nharo|mrifo|nghuro}",
            "ofn fy {mhartner|ngwr|ngwraig|nghariad}",
            "bygwth fy lladd",
        ),
        "homeless_tonight": (
            "digartref {heno|heddiw}",
            "{unman|nunlle|unlle} i {gysgu|aros|fynd} heno",
            "{unman|nunlle|unlle} i gysgu",
            "cysgu {ar y stryd|allan|yn y car}",
            "{troi|nhroi|nhaflu|taflu} allan {heno|heddiw}",
        ),
        "danger_at_home": (
            "{arogl|ogla|oglau} nwy",
            "{gollwng|gollyngiad} nwy",
            "nwy yn gollwng",
            "carbon monocsid",
            "{nenfwd|to|wal|grisiau} wedi {cwympo|disgyn|dymchwel}",
            "gwifrau {noeth|agored}",
            "sioc drydan",
            "tan yn y {ty|fflat|gegin}",
            "ar dan",
        ),
        "idiom": (
            "yn fy lladd i",
            "methu {ymdopi|dioddef|cymryd} {rhagor|mwy|hyn}",
            "methu ymdopi",
            "pen fy nhennyn",
        ),
    },
    "pl": {
        "suicide": (
            "{zabic|zabije|zabijam} sie",
            "sie {zabic|zabije}",
            "samoboj*",
            "odebrac sobie zycie",
            "{chce|chcialbym|chcialabym} umrzec",
            "nie chce {zyc|juz zyc}",
            "{skonczyc|skoncze} ze soba",
            "nie mam po co zyc",
            "mam dosc zycia",
            "nie widze sensu {zycia|zyc|w zyciu}",
            "samookalecz*",
            "{tne|kaleczę|okaleczam} sie",
            "{zrobie|zrobic} sobie krzywde",
        ),
        "domestic_abuse": (
            "przemoc* domow*",
            "{maz|partner|chlopak|on|ona|partnerka|zona|byly|byla} mnie "
            "{bije|uderza|kopie|dusi|pobil|pobila|krzywdzi|szarpie}",
            "boje sie {meza|partnera|partnerki|zony|chlopaka|bylego}",
            "grozi ze mnie zabije",
            "{maz|partner|chlopak|on|ona|partnerka|zona|byly|byla} mnie zabije",
            "{maz|partner|chlopak|partnerka|zona|byly|byla} mi grozi",
            "{grozil|grozila} ze mnie zabije",
        ),
        "homeless_tonight": (
            "bezdomn* {dzis|dzisiaj|dzisiejszej nocy|od dzis}",
            "nie mam gdzie {spac|sie podziac|nocowac}",
            "{spie|spac|spalem|spalam} na ulicy",
            "{eksmisja|eksmituja mnie|wyrzucaja mnie|wyrzucili mnie} {dzis|dzisiaj}",
            "komornik {dzis|dzisiaj}",
        ),
        "danger_at_home": (
            "{czuc|czuje|czuje sie} gaz",
            "{zapach|wyciek} gazu",
            "ulatnia sie gaz",
            "gaz sie ulatnia",
            "tlenek wegla",
            "czad",
            "{sufit|strop|dach|sciana} sie {zawalil|zawalila|wali}",
            "zawalil sie {sufit|strop|dach}",
            "{gole|odsloniete} przewody",
            "porazenie pradem",
            "{pozar|pali sie mieszkanie|pali sie dom}",
        ),
        "idiom": (
            "{wykancza|zabija} mnie",
            "mnie {wykancza|zabija}",
            "nie daje {rady|juz rady}",
            "nie wytrzymuje",
        ),
    },
    "ro": {
        "suicide": (
            "sinucid*",
            "sinucig*",
            "{sa ma omor|ma omor|ma sinucid}",
            "vreau sa mor",
            "nu mai are rost sa {traiesc|mai traiesc}",
            "{m am|mam} saturat de viata",
            "nu mai vreau sa {traiesc|mai traiesc}",
            "{imi|mi} iau viata",
            "{imi|mi} pun capat zilelor",
            "{capat vietii|capat vietii mele}",
            "autovatam*",
            "{imi|mi} fac rau",
            "ma tai",
        ),
        "domestic_abuse": (
            "violent* {domestica|in familie}",
            "{sotul|partenerul|iubitul|sotia|fostul|el|ea} ma {bate|loveste|ameninta|strange de gat}",
            "{mi e|imi e|mi este} frica de {sotul|partenerul|iubitul|sotia|fostul}",
            "{ameninta|a amenintat} ca ma omoara",
        ),
        "homeless_tonight": (
            "fara {adapost|locuinta} {azi|astazi|in seara asta|la noapte|diseara}",
            "{n am|nu am|nam} unde {sa dorm|dormi|sa stau} {azi|astazi|in seara asta|la noapte|diseara}",
            "{n am|nu am|nam} unde sa dorm",
            "{dorm|sa dorm|dormim} pe strada",
            "{evacuat|evacuata|dat afara|data afara} {azi|astazi}",
        ),
        "danger_at_home": (
            "miroase a gaz",
            "{miros|scurgere|pierdere} de gaz",
            "monoxid de carbon",
            "tavanul {s a prabusit|a cazut|cade}",
            "s a prabusit {tavanul|acoperisul}",
            "fire {dezgolite|descoperite}",
            "electrocut*",
            "foc in {casa|apartament}",
            "incendiu",
        ),
        "idiom": (
            "ma omoara",
            "nu mai {rezist|suport|pot suporta|pot rezista|pot indura}",  # "nu mai pot plati" is everyday
        ),
    },
    "ur": {
        "suicide": (
            "{خودکشی|خود کشی}",
            "خود کو {مار|مارنا|ماردوں|مار دوں}",
            "اپنی جان {لے|لینا|لوں}",
            "مرنا {چاہتا|چاہتی}",
            "جینا نہیں {چاہتا|چاہتی}",
            "زندگی ختم {کر|کرنا|کردوں}",
            "خود کو نقصان {پہنچا*|پہنچانا}",
            "خود کو {کاٹ*|زخمی}",
        ),
        "domestic_abuse": (
            "گھریلو تشدد",
            "{شوہر|ساتھی|بیوی} مجھے {مارتا|مارتی|پیٹتا|پیٹتی}",
            "مجھے {مارتا|پیٹتا} ہے",
            "{شوہر|ساتھی} سے ڈر {لگتا|لگتی}",
            "مار ڈالنے کی دھمکی",
            "جان سے مارنے کی دھمکی",
        ),
        "homeless_tonight": (
            "{آج رات|آج} بے گھر",
            "{سونے|رہنے|رکنے} کی {جگہ|کوئی جگہ} نہیں",
            "سڑک پر {سو|سونا|سوتا|سوتی|سونے}",
            "آج {نکال|بے دخل}",
        ),
        "danger_at_home": (
            "گیس کی بو",
            "گیس {لیک|کا رساؤ|نکل رہی}",
            "کاربن {مونو آکسائیڈ|مونوآکسائیڈ}",
            "چھت گر {گئی|رہی|گئ}",
            "بجلی کا جھٹکا",
            "ننگی {تاریں|تار}",
            "آگ لگ {گئی|گئ}",
        ),
        "idiom": (
            "مجھے مار {رہی|رہا}",
            "{اب برداشت|برداشت} نہیں {ہوتا|ہو رہا}",
        ),
    },
    "bn": {
        "suicide": (
            "আত্মহত্যা*",
            "নিজেকে মেরে {ফেল*|দে*}",
            "{মরে যেতে|মরতে} চাই",
            "বাঁচতে চাই না",
            "জীবন শেষ করে {দি*|দে*}",
            "নিজের ক্ষতি {কর*}",
            "নিজেকে {কাট*|আঘাত}",
        ),
        "domestic_abuse": (
            "{পারিবারিক|ঘরোয়া} {সহিংসতা|নির্যাতন}",
            "{স্বামী|সঙ্গী|স্ত্রী} আমাকে {মারে|মারধর|পেটায়}",
            "আমাকে মারধর {কর*}",
            "{স্বামীকে|সঙ্গীকে} ভয় পাই",
            "মেরে ফেলার হুমকি",
        ),
        "homeless_tonight": (
            "{আজ রাতে|আজ} গৃহহীন",
            "{থাকার|ঘুমানোর} {জায়গা|জায়গা} নেই",
            "রাস্তায় {ঘুম*|থাক*}",
            "আজ {উচ্ছেদ|বের করে}",
        ),
        "danger_at_home": (
            "{গ্যাসের|গ্যাস} গন্ধ",
            "গ্যাস {লিক|বের হচ্ছে}",
            "কার্বন মনোক্সাইড",
            "ছাদ ভেঙে {পড়*}",
            "বৈদ্যুতিক শক",
            "খোলা তার",
            "আগুন {লেগেছে|লেগে গেছে}",
        ),
        "idiom": (
            "আমাকে মেরে ফেলছে",
            "{আর |}সহ্য করতে পারছি না",
        ),
    },
    "ar": {
        "suicide": (
            "{انتحار|انتحر*|سانتحر|الانتحار}",
            "{اقتل|قتل} نفسي",
            "{انهي|انهاء|اُنهي} حياتي",
            "{اريد|بدي|عايز|ابغى|ابي} {ان اموت|اموت|موت}",
            "{لا اريد|ما بدي|مش عايز} {العيش|ان اعيش|عيش|اعيش}",
            "{اؤذي|ايذاء|اذي} {نفسي|النفس}",
            "اجرح نفسي",
        ),
        "domestic_abuse": (
            "{عنف|العنف} {اسري|الاسري|منزلي|المنزلي}",
            "يضربني",
            "{اخاف|خايفه|خايف} من {زوجي|شريكي|زوجتي}",
            "{هددني|يهددني} بالقتل",
            "{زوجي|شريكي} سيقتلني",
        ),
        "homeless_tonight": (
            "{بلا|بدون} {ماوى|مأوى|بيت} {الليلة|اليوم}",
            "{مشرد|مشردة} {الليلة|اليوم}",
            "{ليس لدي|ما عندي|لا يوجد} مكان {انام|للنوم|اسكن}",
            "{انام|النوم|نايم} في الشارع",
            "{طردوني|طردني|اخلاء|الاخلاء} اليوم",
        ),
        "danger_at_home": (
            "{رائحة|ريحة|رائحه} {غاز|الغاز}",
            "تسرب {غاز|الغاز}",
            "{اول|أول} اكسيد الكربون",
            "{انهار|سقط|وقع} السقف",
            "السقف {انهار|سقط|وقع}",
            "صعقة كهربائية",
            "اسلاك مكشوفة",
            "حريق في {البيت|الشقة|المنزل}",
        ),
        "idiom": (
            "{يقتلني|تقتلني|بتقتلني}",
            "{لم|ما} {اعد|عدت} {احتمل|اتحمل}",
            "لا استطيع التحمل",
            "تعبت من الحياة",
        ),
    },
    "so": {
        "suicide": (
            "{is dil*|isdil*}",
            "{inaan|in aan} dhinto",
            "ma {rabo|doonayo} {inaan|in aan} noolaado",
            "{is|isku} {waxyeel*|dhaawac*}",
            "naftayda {qaado|ka qaado|dilo}",
        ),
        "domestic_abuse": (
            "{xadgudub*|rabshad*|tacaddi*} {qoys*|guriga}",
            "{ninkayga|ninkaygu|saygayga|wuu|way} i {garaac*|dila|dhuftaa}",
            "ka {baqayaa|cabsanayaa} {ninkayga|saygayga}",
            "{inuu|inay} i dilo",
        ),
        "homeless_tonight": (
            "{hoy|guri} laan {caawa|maanta}",
            "meel aan {seexdo|ku seexdo|seexdaa}",
            "caawa hoy ma {haysto|hayo}",
            "{waddada|jidka|wadada} {ku seexan*|seexan*}",
            "{maanta|caawa} {la i saaray|lay saaray|guriga laga saaray}",
        ),
        "danger_at_home": (
            "{urta|ur} {gaas*|gaaska}",
            "gaas* {baa|ayaa} {ka daad*|daad*}",
            "kaarboon {monoksaayd|mono oksaayd}",
            "saqaf* {ayaa|wuu|baa} {dumay|dhacay}",
            "{siligga|siliga|fiilooyinka} korontada {banaan|qaawan}",
            "koronto {i qabatay|ayaa i qabatay}",
            "dab {ayaa|baa} ka kacay",
        ),
        "idiom": (
            "i {dilaya|dilaysa|dilaysaa}",
            "u adkaysan {kari maayo|waayay}",
        ),
    },
}
