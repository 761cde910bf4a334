"""Spanish (Spain and Latin America)."""

from __future__ import annotations

from redactor.languages import Language, letter_table, words

# fmt: off
LANGUAGE = Language(
    code="es",
    name="Spanish",
    ner_model="ner-es",
    context={
        "CreditCardRecognizer": ("tarjeta", "crédito", "débito", "número", "visa", "mastercard"),
        "PhoneRecognizer": ("teléfono", "celular", "móvil", "número", "contacto", "llamar"),
        "BrCnpjRecognizer": ("cnpj", "empresa", "brasileña"),
        "BrCpfRecognizer": ("cpf", "documento", "contribuyente", "brasileño"),
        "EsDniRecognizer": ("dni", "nie", "documento", "identidad", "nif"),
        "PixKeyRecognizer": ("pix", "clave", "llave"),
        "SpokenEmailRecognizer": ("correo", "email", "electrónico"),
        "StreetAddressRecognizer": ("vivo", "dirección", "domicilio", "entrega"),
        "UsSsnRecognizer": ("ssn", "seguro", "social"),
    },
    not_names=frozenset(words(
        "hola claro buenas buenos gracias vale bueno perfecto tarjeta señor señora oiga sí "
        "cómo qué cuál dónde cuándo quién hasta luego quiero cancelar necesito tengo factura "
        "cuenta plan pago recibo anotado anotamos listo todo nueva momento "
        "adiós dios muchas amigos buena tarde días tardes noches")
    ),
    phone_regions=("ES", "MX", "AR", "CO"),
    name_prompts=(
        r"me llamo", r"mi nombre (?:completo )?es", r"a nombre de", r"señora?", r"señorita",
        r"sra?\.?", r"srta\.?", r"don", r"doña", r"doctora?", r"dra?\.?", r"licenciad[oa]",
        r"nombre(?: completo)?\?", r"con quién (?:hablo|tengo el gusto)\?(?: con)?",
        r"(?:le )?habla", r"titular es",
    ),
    name_weak_prompts=(
        r"soy", r"con", r"(?:mi) (?:esposo|esposa|marido|hij[oa]|madre|padre|herman[oa])",
    ),
    name_questions=(
        r"qui[ée]n llama[?.,]", r"con qui[ée]n hablo[?.,]?",
        r"su nombre(?: completo)?(?:,? por favor)?[?.]",
    ),
    name_stop_words=frozenset(words(
        "y es el la los las un una que de del en con para por sí no gracias buenas buenos "
        "mi mis su sus tu este eh "
        "tardes días noches aquí llamando quiero quisiera necesito todo bien claro voy él "
        "ella yo usted señor señora sobre mismo puede podría tiene está estaba va quiere "
        "necesita ya todavía sabe confirma confirmar espere solo español inglés")
    ),
    name_fillers=frozenset({"sí", "eh", "este", "pues", "ok", "hola", "diga"}),
    name_thanks=(r"(?:muchas )?gracias?",),  # "a mi gracia minerva que tenga"
    name_farewells=(r"que tenga", r"hasta luego", r"adi[óo]s"),
    name_particles=frozenset({"de", "del", "la", "las", "los", "y"}),
    password_prompts=(r"contraseña", r"clave", r"palabra secreta"),
    password_copulas=(r"es", r"era", r"sería", r"será"),
    password_leading=(r"sí", r"es", r"pues", r"vale", r"claro", r"bueno", r"eh"),
    address_prompts=(
        r"\bvivo\s+en",
        r"\bdirecci[óo]n(?: de entrega| de env[íi]o)?(?: es|:)",
        # asked: the answer is the next sentence ("¿Cuál es la dirección de envío? Calle...")
        r"\b(?:direcci[óo]n|domicilio)\b(?:(?!\s(?:es|:))[^.?!:]){0,40}[?.]",
        r"\bm[áa]nde(?:lo|la)\s+a",
        r"\benv[íi]e(?:lo|la)\s+a",
        r"\bentr[ée]guen(?:lo|la)?\s+en",
    ),
    clause_joiners=("y", "pero"),
    street_types_before_name=(
        r"calle", r"c/", r"paseo", r"plaza", r"camino", r"carretera", r"carrera", r"ronda",
        r"glorieta", r"callejón", r"pasaje", r"vía",
    ),
    number_prompts={
        "PIN": (r"\bcontraseña\b", r"\bclave\b", r"\bpin\b"),
        "CVV": (r"\bcvv\b", r"\bc[óo]digo de seguridad\b", r"\bc[oóu]u?v{1,2}\b",  # "COV", "CUVV"
                r"\bc[bw][bv]\b",  # "CWB"
                r"\b(?:d[íi]gitos|n[úu]meros) de (?:detr[áa]s|atr[áa]s)\b"),
        "CARD_LAST_DIGITS": (r"\b[úu]ltimos (?:cuatro|4)(?: d[íi]gitos)?\b",
                             r"\btermina(?:da)? en\b"),
        "EXPIRY_DATE": (r"\bvencimiento\b", r"\bcaducidad\b", r"\bvence\b",
                        r"\bv[áa]lida hasta\b", r"\bes v[áa]lida\b"),
        "BANK_ACCOUNT": (r"\bn[úu]mero de cuenta\b", r"\bcuenta\b", r"\bclabe\b"),
        "PIX_KEY": (r"\bpix\b",),
        "PHONE_NUMBER": (r"\btel[ée]fono\b", r"\bm[óo]vil\b", r"\bcelular\b",
                         r"\bll[áa]m(?:e|eme|ame)\b", r"\bn[úu]mero es\b"),
        "POSTAL_CODE": (r"\bc[óo]digo postal\b",),
        "DATE_OF_BIRTH": (r"\bfecha de nacimiento\b", r"\bnac[íi] (?:el|en)\b", r"\bnaci[óo]\b",
                          # "fechada en afimiento"; not "fecha de vencimiento"
                          r"\bfecha\w*\s+(?:de|en)\s+(?!venc)\w*miento\b"),
        "ES_NSS": (r"\bseguridad social\b", r"\bafiliaci[óo]n\b", r"\bnss\b"),
    },
    months=words(
        "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre "
        "noviembre diciembre"
    ),
    day_one_words=("uno",),
    ordinal_suffixes=("º", "o"),
    date_of_words=("de", "del"),
    # "arroba" as whisper also prints it: "a roba", "aroba", "arru"
    email_at_words=(r"d?(?:a\s?)?r?ro[bv]a", r"(?:e\s)?arru"),
    email_sure_at_words=(r"d?(?:a\s?)?r?ro[bv]a\w*", r"(?:e\s)?arru"),
    email_dot_words=("punto",),
    email_join_words=("punto", r"guion\s+bajo", r"guión\s+bajo", "guion", "guión"),
    email_not_user_words=(
        "es", "mi", "email", "e-mail", "correo", "electrónico", "el", "la", "a", "arroba",
        "para", "y", "eh", "ok", "sí", "envíe", "dirección",
    ),
    spelling_words=("de", r"como\s+en"),
    spelling_prompts=(r"\bdeletre",),
    currency_words=("d[oó]lares", "pesos", "euros?", "centavos", "libras"),
    unit_words=(r"megas?", r"gigas?", r"minutos?", r"horas?", r"d[ií]as?", r"semanas?",
                r"mes(?:es)?", r"años?", r"por ciento"),
    phone_words=frozenset({
        "móvil", "movil", "teléfono", "telefono", "celular", "fijo", "whatsapp", "llamar",
        "llámeme", "llamame", "contacto",
    }),
    letter_prompts=("letra",),
    misheard_letter_prompts=(r"le\s?tra\w*", r"detr[áa]s"),
    digit_words=words("cero uno una dos tres cuatro cinco seis siete ocho nueve"),
    number_words=words(
        "diez once doce trece catorce quince dieciséis diecisiete dieciocho diecinueve veinte "
        "veintiuno veintidós veintitrés veinticuatro veinticinco veintiséis veintisiete "
        "veintiocho veintinueve treinta cuarenta cincuenta sesenta setenta ochenta noventa cien "
        "ciento doscientos trescientos cuatrocientos quinientos seiscientos setecientos "
        "ochocientos novecientos mil"
    ),
    number_fillers=frozenset({"eh", "em", "este", "mmm", "ehh"}),
    letter_names=letter_table(
        "a be ce de e efe ge hache i jota ka ele eme ene o pe cu erre ese te u uve equis ye zeta"
    ),
    ambiguous_letters=frozenset({"a", "e", "i", "o", "u", "de", "te", "ese"}),
    number_separators={"guion": "-", "guión": "-", "raya": "-", "barra": "/", "dígito": "-"},
    repeats={"doble": 2, "triple": 3},
    between_words=frozenset(words("y o a de del el la en con más veces hasta por")),
    courtesies=frozenset(words("gracias vale sí bueno ok claro eso soy pues favor perfecto")),
    number_joiners=frozenset({"y"}),
    letters="áéíóúüñªº",
    # the clear tune calls go down to -0.41, the hard ones up to -0.46
    degraded_logprob=-0.45,
    open_questions=("ayudar", "necesita"),
    email_questions=("correo", "e ?-?mail", "electr[óo]nico",),
    pii_questions=(
        "dni", "nie", "tarjeta", "tel[ée]fono", "m[óo]vil", "celular", "correo", "e ?-?mail",
        "direcci[óo]n", "c[óo]digo postal", "nacimiento", "contraseña", "clave", "cuenta",
        "seguridad social", "documento", "nombre completo",
        # what whisper keeps of "correo electrónico" on a bad line ("toque electrónico")
        "electr[óo]nico",
        # what whisper keeps of a question it garbled: "el código postado", "el CWB"
        "c[óo]di[gv]o", "n[úu]mero", "d[íi]gitos", "caducidad", "caduca", "vencimiento", "fecha",
        "domicilio",
        # the last word of "teléfono de contacto", "código postal" ("mover el contacto?",
        # "un tronino postal", hard-tune-es-07)
        "contacto", "postal",
        # "CVV" as whisper hears it: "el COV", "el CUVV"
        "c[oóu]u?v{1,2}", "c[bw][bv]",
    ),
    article_ones=frozenset(words("un una")),
    article_nouns=frozenset(
        words("momento momentito minuto minutito segundo segundito instante poco")
    ),
)
# fmt: on
