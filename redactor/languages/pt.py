"""Portuguese, as spoken in Brazil."""

from __future__ import annotations

from redactor.languages import Language, words

#: "arroba" as whisper also prints it: "arru", "arruba", "arroga"; and as words of the
#: language ("a roupa", "rouba", "roubar") where "ponto" soon follows ("a roupa jamei o ponto",
#: "a roupa G e meio ponto")
_AT_MISHEARD = (
    r"(?:e\s)?arru(?:[bv]a)?",
    r"arr?oga",
    r"(?:a\s+roupa|roub(?:a|ar))(?=(?:[\s,]+[^\W_]+){0,3}[\s,]+ponto\b(?!\s+final))",
    # "a rua" is also a street: only before a domain's end ("A rua Rodmeio ponto com")
    r"a\s+rua(?=(?:[\s,]+[^\W_]+){1,2}[\s,]+ponto\s+(?:com|br|net)\b)",
)

# fmt: off
LANGUAGE = Language(
    code="pt",
    name="Portuguese (Brazil)",
    ner_model="ner-pt",
    context={
        "CreditCardRecognizer": ("cartão", "crédito", "débito", "número", "visa", "mastercard",
                                 "elo"),
        "PhoneRecognizer": ("telefone", "celular", "número", "whatsapp", "contato", "ligar"),
        "BrCnpjRecognizer": ("cnpj", "empresa", "jurídica", "firma", "mei"),
        "BrCpfRecognizer": ("cpf", "cadastro", "contribuinte", "documento", "física"),
        "EsDniRecognizer": ("dni", "nie", "documento", "identidade"),
        "PixKeyRecognizer": ("pix", "chave", "aleatória", "aleatoria"),
        "SpokenEmailRecognizer": ("email", "e-mail", "correio", "eletrônico"),
        "StreetAddressRecognizer": ("moro", "endereço", "entrega", "residência", "cep"),
        "UsSsnRecognizer": ("ssn", "seguro", "social", "previdência"),
    },
    not_names=frozenset(words(
        "olá oi claro certo obrigado obrigada bom boa perfeito cartão senhor senhora alô "
        "como quê qual onde quando quem anotei aqui quero cancelar preciso tenho fatura "
        "conta plano pagamento boleto anotado pronto prontinho tchau cpf ctf cnpj cep dia tarde "
        "noite")
    ),
    phone_regions=("BR",),
    name_prompts=(
        r"meu nome (?:completo )?é", r"me chamo", r"(?:sou|é) (?:o|a) senhora?",
        r"em nome de", r"nome do titular é", r"senhora?", r"sr\.?", r"sra\.?", r"dona",
        r"doutora?", r"dra?\.?", r"nome(?: completo)?\?", r"quem fala\?", r"quem fala é",
        r"falo com(?: o| a)?(?: senhora?)?", r"titular (?:da conta )?é",
    ),
    name_weak_prompts=(
        r"aqui (?:quem fala )?é(?: o| a)?", r"sou (?:o|a)", r"(?:meu|minha) (?:marido|esposa|"
        r"mulher|filh[oa]|mãe|pai|irmão|irmã)", r"chamar(?: o| a)?", r"foi(?: o| a)",
    ),
    name_questions=(
        r"quem fala[?,]", r"com quem (?:eu )?falo[?.,]?",
        r"(?:seu|o) nome(?: completo)?(?:,? por favor)?[?.]",
    ),
    name_stop_words=frozenset(words(
        "e é o a os as um uma que de do da em no na para por pelo pela pelos pelas com sim não tá "
        "obrigado obrigada "
        "meu minha seu sua hum ahn "
        "boa bom tarde dia noite aqui falando quero gostaria preciso ligando tudo bem certo "
        "claro vou ele ela eu você senhor senhora sobre mesmo pode poderia tem está estava vai "
        "quer precisa gostaria já ainda consegue sabe confirma confirmar aguarde só setor "
        "gerente atendente")
    ),
    name_fillers=frozenset({"sim", "hum", "ahn", "é", "ok", "oi", "olá", "alô"}),
    name_thanks=(r"(?:muito )?o?brigad[oa]", r"valeu"),  # "brigado": said without its o
    name_farewells=(r"até logo", r"até mais", r"tchau", r"tenham? uma?"),
    name_particles=frozenset({"da", "de", "do", "dos", "das", "e"}),
    password_prompts=(r"senha", r"palavra[- ]passe", r"frase secreta"),
    password_copulas=(r"é", r"era", r"seria", r"vai ser", r"fica"),
    password_leading=(r"sim", r"é", r"então", r"tá", r"ok", r"hum", r"claro", r"a senha é"),
    address_prompts=(
        r"\b(?:moro|resido|mora)\s+(?:na|no|em)",
        r"\bmoro\s+(?:lá|uma)[.,]?",  # "Eu moro na" as whisper hears it
        r"\bonde fica\b[^.?!]{0,30}\?",  # asked: "E onde fica o imóvel?"
        r"\bendereço(?: de entrega| de cobrança)?(?: é|:)",
        # asked: the answer is the next sentence ("Qual é o endereço de instalação? Rua...")
        r"\bendere[çc]o\b(?:(?!\s(?:é|:))[^.?!:]){0,40}[?.]",
        r"\bentreg(?:ar|a|ue)\s+(?:na|no|em)",
        r"\bmand(?:ar|a|e)\s+(?:para|pra)\s+(?:a|o)",
    ),
    clause_joiners=("e", "mas", "porque"),
    street_types_before_name=(
        r"rua", r"r\.", r"avenida", r"av\.?", r"travessa", r"alameda", r"estrada", r"rodovia",
        r"praça", r"largo", r"viela",
    ),
    number_prompts={
        "PIN": (r"\bsenha\b", r"\bpin\b"),
        "CVV": (r"\bcvv\b", r"\bc[óo]digo de seguran[çc]a\b", r"\bc[óo]digo verificador\b",
                r"\b(?:d[íi]gitos|n[úu]meros) (?:do verso|atr[áa]s)\b"),
        "CARD_LAST_DIGITS": (r"\b[úu]ltimos (?:quatro|4)(?: d[íi]gitos)?\b",
                             r"\btermina(?:do)? (?:em|com)\b"),
        "EXPIRY_DATE": (r"\bvalidade\b", r"\bvenc(?:e|imento)\b", r"\bv[áa]lido at[ée]\b",
                        r"\b[ée] v[áa]lido\b",
                        r"\bqualidade do cart[ãa]o\b"),  # "validade" as whisper hears it
        "BANK_ACCOUNT": (r"\bag[êe]ncia\b", r"\bconta(?: corrente| poupan[çc]a)?\b"),
        "BR_RG": (r"\brg\b", r"\bregistro geral\b", r"\bidentidade\b"),
        "PIX_KEY": (r"\bchave(?: pix)?\b", r"\bpix\b"),
        "PHONE_NUMBER": (r"\btelefone\b", r"\bcelular\b", r"\bwhats(?:app)?\b", r"\bme liga\b",
                         r"\bn[úu]mero [ée]\b"),
        "POSTAL_CODE": (r"\bcep\b", r"\bc[óo]digo postal\b",
                        # "CEP" as whisper hears it: "SEP", "SEB", "sapi", "Cépia", "o sete?"
                        # ("o 7?" in the spoken view), "sepira rua"
                        r"\bs[eé][pb]\b", r"\bsapi\b", r"\b[cs][eé]pi\w*",
                        r"\b(?:sete|7)(?=\?| por favor| da rua)", r"\bs[ée]rio da rua\b",
                        r"\bo cp\b"),  # "o CEP" with its vowel lost
        # "nascimento" as whisper hears it: "nafimento", "inacimento"; "data" as "dados"
        "DATE_OF_BIRTH": (r"\b(?:data|dados) de i?na[sfc]{1,2}imento\b",
                          r"\bnasci(?:do|da)? (?:em|no|na)\b", r"\bnasceu\b"),
    },
    months=words(
        "janeiro fevereiro março marco abril maio junho julho agosto setembro outubro novembro "
        "dezembro"
    ),
    day_one_words=("um", "uma", "primeiro"),
    ordinal_suffixes=("º", "o"),
    date_of_words=("de", "do", "no"),  # "doze do três de oitenta e cinco", "29, no 9 de 91"
    # "arroba", also as "a roba", "aroba"
    email_at_words=(r"d?(?:a\s?)?r?ro[bv]a", *_AT_MISHEARD),
    email_sure_at_words=(r"d?(?:a\s?)?r?ro[bv]a\w*", *_AT_MISHEARD),
    email_dot_words=("ponto",),
    email_join_words=("ponto", r"underlin(?:h?e)", "sublinhado", r"tra[çc]o", r"h[íi]fen"),
    email_not_user_words=(
        "é", "meu", "minha", "email", "e-mail", "eletrônico", "o", "a", "arroba", "para", "e",
        "ok", "sim", "escreva", "mande", "manda", "envie", "endereço",
    ),
    spelling_words=("de", "do", "da"),
    spelling_prompts=(r"\bsoletr",),
    currency_words=("reais", "real", "d[oó]lares", "euros?", "centavos", "libras"),
    unit_words=(r"megas?", r"gigas?", r"minutos?", r"horas?", r"dias?", r"semanas?",
                r"m[eê]s(?:es)?", r"anos?", r"por cento"),
    phone_words=frozenset({"celular", "whatsapp", "telefone", "ligar", "contato"}),
    letter_prompts=("letra",),
    digit_words=words(
        "zero um uma dois duas três tres quatro cinco seis sete oito nove"
    ),
    number_words=words(
        "dez onze doze treze quatorze catorze quinze dezesseis dezessete dezoito dezenove vinte "
        "trinta quarenta cinquenta sessenta setenta oitenta noventa cem cento duzentos trezentos "
        "quatrocentos quinhentos seiscentos setecentos oitocentos novecentos mil"
    ),
    neighbour_digits={"meia": "seis"},
    between_digits={"tres": "três"},
    number_fillers=frozenset({"é", "éh", "hum", "ahn", "hã", "eh"}),
    number_separators={
        "traço": "-", "tracinho": "-", "hífen": "-", "barra": "/", "dígito": "-",
        # as whisper mishears them between digits
        "trato": "-", "traça": "-", "marra": "/", "parra": "/", "baja": "/",
        "trasso": "-", "braço": "-", "rastos": "-", "bar": "/",
    },
    repeats={"duplo": 2, "dobro": 2},
    between_words=frozenset(words("e ou a o de do da em no na com mais vezes até por")),
    courtesies=frozenset(
        words("obrigado obrigada valeu ok sim tá certo isso sou então né favor perfeito")
    ),
    number_joiners=frozenset({"e"}),
    letters="áàâãéêíóôõúüçªº",
    # the clear tune calls go down to -0.50 (whisper base is least sure of Portuguese)
    degraded_logprob=-0.5,
    open_questions=("ajudar",),
    email_questions=("e ?-?mail", "correio eletr[ôo]nico",),
    pii_questions=(
        "c[pt]f", "cnpj", "telefone", "celular", "whats ?app", "e ?-?mail", "cart[ãa]o",
        # as whisper hears them on a phone line: "CNBJ", "catão", "cação", "imedio", "i -né?"
        "cn[bv]j", "cat[ãa]o", "caç[ãa]o", "ime[dn]io", "iméis", "i -n[ée]",
        "endere[çc]o", "cep", "senha", "chave pix", "conta", "ag[êe]ncia", "rg",
        "i?na[sfc]{1,2}imento", "setefe", "pejota",  # nascimento, CPF, CNPJ as heard
        "documento", "nome completo",
        # "correio eletrônico", as in Spanish, where whisper mishears the first word
        "eletr[ôo]nico",
        # what whisper keeps of a question it garbled: "os três dígitos do gasto", "o código"
        "c[óo]digo", "n[úu]mero", "d[íi]gitos", "verso", "validade", "vencimento",
        "contato", "postal",  # "telefone de contato", "código postal"
        "s[eé][pb]",  # "CEP" as whisper hears it ("E o sep e da rua?")
    ),
    article_ones=frozenset(words("um uma")),
    article_nouns=frozenset(
        words("momento momentinho minuto minutinho segundo segundinho instante pouco")
    ),
)
# fmt: on
