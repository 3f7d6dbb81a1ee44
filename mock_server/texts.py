"""Every French text the mock shows, in one place.

Labels quoted from the caf.fr help page are kept word for word (including its
"Numero" without an accent). Templates, the browser-side validation and the
page objects of the suites all read them from here.

French typography: a no-break space (\u00a0) before ? ! : ; and inside « », so a
browser never leaves a lone "?" at the start of a line ("Mot de passe oublié\u00a0?"
reads as the help page's "Mot de passe oublié ?"). tests/test_french.py refuses a
plain space there.
"""

# Site-wide
SITE_NAME = "caf.fr"
MON_COMPTE = "Mon Compte"
MAIN_MENU = "Menu principal"
HOME_TITLE = "Caf.fr, la Caf et vous"
HOME_INTRO = (
    "Pour bénéficier de tous les services proposés par caf.fr, je dois pouvoir "
    "me connecter à l'Espace Mon Compte."
)
HOME_LINK = "Accueil"

# Login page, in the help page's words
LOGIN = {
    "title": "CONNEXION",
    "required_notice": "Tous les champs sont obligatoires, sauf mention contraire.",
    "nir_label": "Numero de Sécurité sociale (13 caractères)",
    "nir_help": "Où trouver mon numéro de sécurité sociale\u00a0?",
    "provisional_toggle": "J'ai un identifiant provisoire",
    "provisional_label": "Identifiant provisoire (P suivi de 9 chiffres)",
    "password_label": "Mot de passe (8 à 64 caractères)",
    "remember_me": "Se souvenir de moi",
    "forgot_password": "Mot de passe oublié\u00a0?",
    "submit": "Se connecter",
    "or": "OU",
    "franceconnect": "S'identifier avec FranceConnect",
    "what_is_franceconnect": "Qu'est-ce que FranceConnect\u00a0?",
    "signup": "Première connexion\u00a0? Créer Mon Compte",
    "tutorial": "Tutoriel\u00a0?",
    "access": "Accéder à Mon Compte",
}

# Field errors: one message per way to be wrong (keys are the rule codes of
# mock_server.rules). Shown next to the field, by the browser and by the server.
NIR_ERRORS = {
    "required": "Veuillez saisir votre numéro de sécurité sociale.",
    "invalid_characters": (
        "Seuls les chiffres sont acceptés dans le numéro de sécurité sociale "
        "(ainsi que 2A ou 2B pour un département de naissance en Corse)."
    ),
    "too_short": "Le numéro de sécurité sociale est trop court\u00a0: saisissez ses 13 premiers caractères.",
    "too_long": "Le numéro de sécurité sociale est trop long\u00a0: saisissez seulement ses 13 premiers caractères.",
    "temporary_nia": (
        "Ce numéro commençant par 7 ou 8 est un numéro d'attente qui ne permet pas de "
        "se connecter\u00a0: cochez «\u00a0J'ai un identifiant provisoire\u00a0» et saisissez "
        "l'identifiant provisoire que la Caf vous a donné."
    ),
    "bad_sex": "Le numéro de sécurité sociale commence par 1 ou 2.",
    "bad_month": "Les 4e et 5e chiffres (mois de naissance) doivent être compris entre 01 et 12.",
    "bad_department": (
        "Les 6e et 7e caractères (département de naissance) ne correspondent à aucun département."
    ),
}

PROVISIONAL_ERRORS = {
    "required": "Veuillez saisir votre identifiant provisoire.",
    "bad_format": (
        "L'identifiant provisoire est composé de la lettre P suivie de 9 chiffres "
        "(par exemple P123456789)."
    ),
}

PASSWORD_ERRORS = {
    "required": "Veuillez saisir votre mot de passe.",
    "too_short": "Le mot de passe doit comporter au moins 8 caractères.",
    "too_long": "Le mot de passe doit comporter au plus 64 caractères.",
    "no_letter": "Le mot de passe doit contenir au moins une lettre.",
    "no_digit": "Le mot de passe doit contenir au moins un chiffre.",
}

# Form-level messages
LOGIN_ERRORS = {
    # Same words whether the account exists or not: no account enumeration.
    "bad_credentials": "Identifiant ou mot de passe incorrect.",
    "locked": (
        "Votre compte est temporairement bloqué après {attempts} tentatives de connexion "
        "infructueuses. Réessayez dans {minutes} minutes ou cliquez sur «\u00a0Mot de passe oublié\u00a0?\u00a0»."
    ),
    "form_errors": "Le formulaire contient des erreurs. Corrigez les champs signalés.",
}

# Account space
ACCOUNT = {
    "title": "Mon Compte",
    "greeting": "Bonjour {name}",
    "logout": "Déconnexion",
    "profile_link": "Mes informations personnelles",
    "profile_title": "Mes informations personnelles",
    "payments_link": "Mes paiements",
    "payments_title": "Mes paiements",
    "payments_empty": "Aucun paiement n'est prévu pour le moment.",
    "nir": "Numéro de sécurité sociale",
    "provisional_id": "Identifiant provisoire",
    "email": "Adresse e-mail",
    "phone": "Téléphone portable",
    "birthdate": "Date de naissance",
    "logout_reminder": (
        "Je pense à me déconnecter en cliquant sur le bouton Déconnexion quand j'ai fini "
        "de consulter Mon Compte ou de faire mes démarches en ligne."
    ),
}

LOGGED_OUT = {
    "title": "Vous êtes déconnecté",
    "text": "Vous êtes bien déconnecté de Mon Compte. À bientôt sur caf.fr.",
    "login_again": "Me reconnecter",
    # /deconnecte reached while still signed in (a link, not the button): nothing ends.
    "still_signed_in_title": "Vous êtes toujours connecté",
    "still_signed_in_text": "Pour vous déconnecter de Mon Compte, cliquez sur le bouton Déconnexion.",
}

LOGIN_REQUIRED = "Connectez-vous pour accéder à cette page."

# Help pages (from the help page)
HELP = {
    "where_title": "Où trouver mon numéro de sécurité sociale et mon mot de passe\u00a0?",
    "where_nir": (
        "Mon numéro de sécurité sociale se trouve sur le recto ma carte vitale, sous mon "
        "prénom et mon nom de famille, sur mes bulletins de salaire et sur mon attestation "
        "de droits disponible sur mon compte ameli."
    ),
    "where_password": (
        "Mon mot de passe est complètement confidentiel et la Caf n'y a pas accès. Lors de "
        "sa création, je dois faire attention à bien le retenir."
    ),
    "forgot_title": "Que faire si j'oublie mes identifiants\u00a0?",
    "forgot_text": (
        "Si j'ai perdu mon numéro de sécurité sociale, je peux le demander à la caisse "
        "primaire d'assurance maladie, à la Mutualité sociale agricole (CCMSA), à la "
        "Sécurité sociale pour les indépendants mais aussi auprès de la Caf en présentant "
        "ma pièce d'identité et une pièce d'état civil."
    ),
    "franceconnect_title": "Qu'est-ce que FranceConnect\u00a0?",
    "franceconnect_text": (
        "Il s'agit d'un dispositif qui me permet de me connecter, aux services publics en "
        "ligne, grâce aux identifiants de connexion de mes comptes Impots.gouv.fr, Ameli.fr, "
        "MobileConnect et moi, MSA ou de la Poste."
    ),
    "tutorial_title": "Comment me connecter à Mon Compte\u00a0?",
    "tutorial_steps": [
        "Je saisis les 13 premiers chiffres de mon numéro de sécurité sociale. Si je n'ai "
        "pas de numéro de sécurité sociale, j'indique mon identifiant provisoire.",
        "Je saisis ensuite mon mot de passe, composé de lettres et de chiffres, puis je "
        "clique sur Se connecter.",
        "Je clique sur Mot de passe oublié\u00a0? Si je ne me souviens plus de mon mot de passe. "
        "Je reçois un code par SMS ou par mail (selon mon choix) qui me permet de créer un "
        "nouveau mot de passe.",
        "Je peux aussi choisir de me connecter via FranceConnect.",
    ],
    "where_to_find": "Où trouver Mon Compte\u00a0?",
    "where_to_find_text": (
        "Sur la page d'accueil du site, dans la barre de menu bleue, je clique sur l'icône "
        "Mon Compte."
    ),
    "back_to_login": "Retour à la connexion",
}

# FranceConnect's pages (chooser words and "Vous êtes connecté !" from the help page).
FRANCECONNECT = {
    "site_name": "FranceConnect",
    "choose": "Choisissez un compte pour vous connecter\u00a0:",
    "what_is": "Qu'est-ce que FranceConnect\u00a0?",
    "what_is_text": (
        "FranceConnect est la solution proposée par l'État pour sécuriser et simplifier la "
        "connexion aux services en ligne. Il s'agit d'un dispositif qui me permet de me "
        "connecter, aux services publics en ligne, grâce aux identifiants de connexion de mes "
        "comptes Impots.gouv.fr, Ameli.fr, MobileConnect et moi, MSA ou de la Poste."
    ),
    "intro": "Je me connecte à {service} avec FranceConnect.",
    "back_to_service": "Revenir sur {service}",
    "connected": "Vous êtes connecté\u00a0!",
    "connected_as": "Vous êtes connecté en tant que {name}, avec votre compte {provider}.",
    "shared_data": "Les données suivantes vont être transmises à {service}\u00a0:",
    "continue": "J'accède à mon service",
    # A private service (a company) asks the person's consent before it gets the data
    # (FranceConnect's consent.data_transfer_consent and consent.consent_checkbox).
    "consent": "J’accepte que FranceConnect transmette mes données au service pour me connecter",
    "consent_required": "Veuillez cocher la case pour accepter le transfert des données",
    # Under a provider switched off on the chooser (FranceConnect's words).
    "unavailable": "Indisponible",
    "identity_labels": {
        "given_name": "Prénom(s)",
        "family_name": "Nom de naissance",
        "birthdate": "Date de naissance",
        "gender": "Sexe",
        "birthplace": "Lieu de naissance (code INSEE)",
        "birthcountry": "Pays de naissance (code INSEE)",
        "email": "Adresse électronique",
        "preferred_username": "Nom d'usage",
    },
    "genders": {"female": "Femme", "male": "Homme"},
    "login_aborted": (
        "La connexion avec votre compte {provider} n'a pas abouti. Veuillez réessayer "
        "ou choisir un autre compte."
    ),
    "error_title": "Une erreur est survenue",
    "error_code": "Code d'erreur\u00a0: {code}",
    "error_id": "ID\u00a0: {id}",
    "error_messages": {
        "idp_unavailable": (
            "Le service {provider} est momentanément indisponible. Veuillez réessayer plus "
            "tard ou choisir un autre compte."
        ),
        "idp_timeout": (
            "Le service {provider} ne répond pas. Veuillez réessayer plus tard ou choisir "
            "un autre compte."
        ),
        "idp_invalid": "Le service {provider} a envoyé une réponse invalide.",
        # Y600006, an identity FranceConnect's checks refuse: its words, without a final stop.
        "invalid_identity": "Une erreur technique est survenue, fermez l’onglet de votre navigateur et reconnectez-vous",
    },
    "logged_out_title": "Vous êtes déconnecté de FranceConnect",
    "logged_out_text": "Votre session FranceConnect est terminée.",
    "logged_out_idp": "Vous avez également été déconnecté de {provider}.",
    "logged_out_idp_kept": (
        "{provider} ne permet pas la déconnexion à distance\u00a0: pensez à vous déconnecter "
        "de {provider} vous-même."
    ),
    "home_title": "FranceConnect",
    "home_text": "Cette page simule FranceConnect pour les tests de Mon Compte.",
}

# Mon Compte's side of a FranceConnect login.
FC_LOGIN = {
    "aborted": "Connexion avec FranceConnect annulée. Vous pouvez vous connecter avec votre numéro de sécurité sociale.",
    "failed": "La connexion avec FranceConnect n'a pas abouti. Veuillez réessayer.",
    "logout_unreachable": (
        "Vous êtes déconnecté de Mon Compte, mais FranceConnect ne répond pas\u00a0: fermez votre "
        "navigateur pour terminer aussi votre session FranceConnect."
    ),
    "no_account_title": "Aucun compte Caf ne correspond à votre identité",
    "no_account_text": (
        "FranceConnect nous a transmis l'identité de {name}, née ou né le {birthdate}, "
        "mais aucun dossier de la Caf ne correspond à cette identité."
    ),
    "no_account_steps": [
        "Si vous êtes allocataire, connectez-vous avec votre numéro de sécurité sociale "
        "et votre mot de passe.",
        "Si vous n'avez pas encore de compte, créez-le avec «\u00a0Créer Mon Compte\u00a0».",
        "Si votre état civil a changé, contactez votre Caf pour mettre à jour votre dossier.",
    ],
    "identity_title": "Identité transmise par FranceConnect",
    "unavailable_title": "FranceConnect est momentanément indisponible",
    "unavailable_text": (
        "Nous n'arrivons pas à joindre FranceConnect. Réessayez dans quelques instants, ou "
        "connectez-vous avec votre numéro de sécurité sociale et votre mot de passe."
    ),
    "retry": "Réessayer",
    "error_title": "Connexion FranceConnect refusée",
    "error_text": (
        "La réponse de FranceConnect n'a pas pu être vérifiée ({reason}). Par sécurité, "
        "vous n'avez pas été connecté. Recommencez depuis la page de connexion."
    ),
}

ERRORS = {
    "csrf_title": "Formulaire expiré",
    "csrf_text": (
        "Ce formulaire a expiré ou n'a pas été envoyé depuis caf.fr. "
        "Rechargez la page de connexion et réessayez."
    ),
    "not_found_title": "Page introuvable",
    "not_found_text": "La page demandée n'existe pas ou a été déplacée.",
    "bad_request_title": "Requête invalide",
    "bad_request_text": "La requête envoyée n'est pas valide.",
    "forbidden_title": "Action refusée",
    "forbidden_text": "Cette action ne peut pas être demandée depuis un autre site.",
    "wrong_host_title": "Adresse inconnue",
    "wrong_host_text": "Le simulateur ne répond qu'à ses propres adresses (127.0.0.1, localhost et ses sites).",
    "method_title": "Action impossible",
    "method_text": "Cette action n'est pas possible sur cette page.",
    "server_title": "Service momentanément indisponible",
    "server_text": "Une erreur est survenue. Veuillez réessayer dans quelques instants.",
    "back_home": "Retour à l'accueil",
    "retry": "Réessayer",
    "timeout_title": "Le service met trop de temps à répondre",
}

# Password reset ("Mot de passe oublié ?") and account creation share their
# steps: identify, choose a channel, enter the code, choose a password.
RESET = {
    "title": "Mot de passe oublié",
    "intro": (
        "Saisissez votre identifiant\u00a0: vous recevrez un code par SMS ou par mail "
        "(selon votre choix) qui vous permettra de créer un nouveau mot de passe."
    ),
    "password_title": "Créer un nouveau mot de passe",
    "done_title": "Mot de passe modifié",
    "done_text": "Votre nouveau mot de passe est enregistré. Vous pouvez vous connecter à Mon Compte.",
    "login_link": "Me connecter",
    "mail_subject": "Votre code pour créer un nouveau mot de passe",
}

SIGNUP = {
    "title": "Créer Mon Compte",
    "intro": (
        "Première connexion\u00a0? Saisissez votre identifiant\u00a0: nous vérifierons qu'il s'agit bien "
        "de vous avec un code envoyé par SMS ou par mail."
    ),
    "password_title": "Choisissez votre mot de passe",
    "already": (
        "Vous avez déjà un compte Mon Compte avec cet identifiant. Connectez-vous, ou cliquez "
        "sur «\u00a0Mot de passe oublié\u00a0?\u00a0» si vous ne vous souvenez plus de votre mot de passe."
    ),
    "unknown": (
        "Nous ne trouvons pas de dossier Caf avec cet identifiant. Vérifiez votre saisie\u00a0; "
        "si vous n'avez pas encore de dossier, contactez votre Caf."
    ),
    "welcome": "Votre compte est créé. Bienvenue dans Mon Compte\u00a0!",
    "mail_subject": "Votre code pour créer Mon Compte",
}

VERIFY = {
    "continue": "Continuer",
    "channel_title": "Comment souhaitez-vous recevoir votre code\u00a0?",
    "channel_legend": "Recevoir mon code",
    "channel_sms": "Par SMS au {phone}",
    "channel_mail": "Par mail à {email}",
    "send_code": "Recevoir mon code",
    "code_title": "Saisissez le code reçu",
    "code_sent_sms": "Un code à 6 chiffres vous a été envoyé par SMS au {phone}. Il est valable 15 minutes.",
    "code_sent_mail": "Un code à 6 chiffres vous a été envoyé par mail à {email}. Il est valable 15 minutes.",
    "code_label": "Code à 6 chiffres",
    "validate": "Valider",
    "resend": "Renvoyer le code",
    "resent": "Un nouveau code vous a été envoyé. Le code précédent n'est plus valable.",
    "other_channel": "Recevoir le code par un autre moyen",
    "new_password_label": "Nouveau mot de passe (8 à 64 caractères)",
    "confirm_label": "Confirmation du mot de passe",
    "save": "Enregistrer",
    "restart": "Votre demande a expiré ou n'a pas commencé. Merci de recommencer.",
    "no_channel": (
        "Aucun numéro de portable ni adresse mail n'est enregistré pour ce dossier\u00a0: "
        "contactez votre Caf."
    ),
}

VERIFY_ERRORS = {
    "channel_required": "Choisissez comment recevoir votre code.",
    "code_required": "Veuillez saisir le code reçu.",
    "code_format": "Le code est composé de 6 chiffres.",
    "code_wrong": "Code incorrect\u00a0: il vous reste {left} essai(s).",
    "code_exhausted": (
        "Ce code n'est plus valable après 3 saisies incorrectes. "
        "Demandez un nouveau code avec «\u00a0Renvoyer le code\u00a0»."
    ),
    "code_expired": (
        "Ce code a expiré\u00a0: il est valable 15 minutes. "
        "Demandez un nouveau code avec «\u00a0Renvoyer le code\u00a0»."
    ),
    "code_used": "Ce code a déjà été utilisé. Demandez un nouveau code si nécessaire.",
    "code_replaced": "Ce code a été remplacé par un nouveau code\u00a0: saisissez le dernier code reçu.",
    "cooldown": "Vous pourrez demander un nouveau code dans {seconds} secondes.",
    "too_many_codes": (
        "Vous avez demandé {count} codes en 24 heures\u00a0: c'est le maximum. "
        "Réessayez demain ou contactez votre Caf."
    ),
    "confirm_required": "Veuillez confirmer votre mot de passe.",
    "mismatch": "Les deux mots de passe ne correspondent pas.",
    # The SMS gateway refused the code (fault "sms_down"): with a mail to fall back on, or without.
    "sms_unavailable": (
        "L'envoi du SMS est momentanément impossible. Choisissez de recevoir votre code par mail."
    ),
    "sms_unavailable_retry": "L'envoi du SMS est momentanément impossible. Réessayez dans quelques instants.",
}

# What the CAF's SMS and mail gateways send.
MESSAGES = {
    "sender": "Caf.fr <ne-pas-repondre@caf.fr>",
    "sms": "Caf\u00a0: votre code de vérification est {code}. Il est valable 15 minutes. Ne le communiquez à personne.",
    "mail_greeting": "Bonjour {name},",
    "mail_body": "Voici votre code de vérification\u00a0: {code}. Il est valable 15 minutes.",
    "mail_warning": (
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message\u00a0: "
        "votre mot de passe reste inchangé. La Caf ne vous demandera jamais votre mot de passe."
    ),
    "mail_signature": "Votre Caf",
}

OUTBOX = {
    "title": "Messages envoyés par le simulateur",
    "back": "Retour au tableau de bord",
    "refresh": "Actualiser",
    "nav": "Navigation",
    "empty": "Aucun message pour le moment.",
    "sms": "SMS",
    "mail": "Mail",
    "to": "À",
    "code": "Code",
    "delivered": "reçu le",
    "bounced": "Non distribué\u00a0: la messagerie du destinataire a refusé ce mail.",
}

# Identity providers FranceConnect offers, keyed by provider id (= site name).
# "name" is the label of FranceConnect's chooser, word for word from the help page
# ("YRIS", "FRANCE IDENTITE": on the buttons only); "in_text" is the provider's name
# inside a sentence, as the help page's own list writes it; the rest is each
# provider's own login page. "fields" is keyed by credential key.
PROVIDERS = {
    "impots": {
        "name": "impots.gouv.fr",
        "in_text": "impots.gouv.fr",
        "site_name": "impots.gouv.fr",
        "tagline": "Direction générale des Finances publiques",
        "title": "Connexion à mon espace particulier",
        "intro": "Connectez-vous avec votre numéro fiscal et votre mot de passe pour accéder au service demandé via FranceConnect.",
        "fields": {
            "numero_fiscal": {
                "label": "Numéro fiscal",
                "hint": "13 chiffres, indiqués sur votre dernière déclaration de revenus ou votre avis d'impôt.",
                "required": "Veuillez saisir votre numéro fiscal.",
                "format": "Le numéro fiscal est composé de 13 chiffres.",
            },
            "password": {
                "label": "Mot de passe",
                "required": "Veuillez saisir votre mot de passe.",
            },
        },
        "submit": "Connexion",
        "bad_credentials": "Le numéro fiscal ou le mot de passe saisi est incorrect.",
        "cancel": "Annuler et revenir à FranceConnect",
        "footer": "impots.gouv.fr — simulateur pour les tests, données fictives.",
    },
    "ameli": {
        "name": "Assurance Maladie Ameli.fr",
        "in_text": "ameli.fr",
        "site_name": "ameli",
        "tagline": "l'Assurance Maladie",
        "title": "Je me connecte avec mon compte ameli",
        "intro": "",
        "fields": {
            "nir": {
                "label": "Mon numéro de sécurité sociale",
                "required": "Veuillez saisir votre numéro de sécurité sociale.",
            },
            "password": {
                "label": "Mon code confidentiel",
                "required": "Veuillez saisir votre code confidentiel.",
            },
        },
        "nir_help": "Où trouver mon numéro de sécurité sociale\u00a0?",
        "nir_help_text": (
            "Votre numéro de sécurité sociale figure sur votre carte Vitale, sur votre "
            "attestation de droits et sur vos bulletins de salaire. Saisissez ses 13 premiers "
            "chiffres."
        ),
        "submit": "ME CONNECTER",
        "bad_credentials": "Le numéro de sécurité sociale ou le code confidentiel que vous avez saisi est incorrect.",
        "cancel": "Revenir à FranceConnect",
        "footer": "ameli.fr — simulateur pour les tests, données fictives.",
    },
    "laposte": {
        "name": "L'identité Numérique La Poste",
        "in_text": "L'Identité Numérique La Poste",
        "site_name": "La Poste",
        "tagline": "L'Identité Numérique",
        "title": "Connectez-vous avec L'Identité Numérique La Poste",
        "intro": "Saisissez l'adresse e-mail et le mot de passe de votre Identité Numérique.",
        "fields": {
            "email": {
                "label": "Adresse e-mail",
                "required": "Veuillez saisir votre adresse e-mail.",
            },
            "password": {
                "label": "Mot de passe",
                "required": "Veuillez saisir votre mot de passe.",
            },
        },
        "submit": "Se connecter",
        "bad_credentials": "Adresse e-mail ou mot de passe erroné. Vérifiez votre saisie.",
        "cancel": "Annuler et revenir au service",
        "footer": "L'Identité Numérique La Poste — simulateur pour les tests, données fictives.",
    },
    "msa": {
        "name": "MSA",
        "in_text": "MSA",
        "site_name": "MSA",
        "tagline": "Mutualité Sociale Agricole",
        "title": "Connexion à mon espace privé",
        "intro": "Identifiez-vous avec votre numéro de sécurité sociale et votre mot de passe MSA.",
        "fields": {
            "nir": {
                "label": "Numéro de sécurité sociale",
                "hint": "13 caractères, sans la clé.",
                "required": "Veuillez saisir votre numéro de sécurité sociale.",
            },
            "password": {
                "label": "Mot de passe",
                "required": "Veuillez saisir votre mot de passe.",
            },
        },
        "submit": "Se connecter",
        "bad_credentials": "Les informations saisies ne permettent pas de vous identifier. Vérifiez votre numéro de sécurité sociale et votre mot de passe.",
        "cancel": "Annuler et revenir à FranceConnect",
        "footer": "msa.fr — simulateur pour les tests, données fictives.",
    },
    "yris": {
        "name": "YRIS",
        "in_text": "Yris",
        "site_name": "Yris",
        "tagline": "Votre identité numérique",
        "title": "Connexion à votre compte Yris",
        "intro": "Saisissez votre identifiant Yris et votre mot de passe.",
        "fields": {
            "identifier": {
                "label": "Identifiant Yris",
                "required": "Veuillez saisir votre identifiant Yris.",
            },
            "password": {
                "label": "Mot de passe",
                "required": "Veuillez saisir votre mot de passe.",
            },
        },
        "submit": "Se connecter",
        "bad_credentials": "Identifiant Yris ou mot de passe incorrect.",
        "cancel": "Retour à FranceConnect",
        "footer": "Yris — simulateur pour les tests, données fictives.",
    },
    "franceidentite": {
        "name": "FRANCE IDENTITE",
        "in_text": "France Identité",
        "site_name": "France Identité",
        "tagline": "L'application de l'identité numérique régalienne",
        "title": "Connexion avec France Identité",
        "intro": "Ouvrez l'application France Identité sur votre téléphone et validez la connexion",
        "fields": {},
        "code_label": "Code de vérification",
        "code_hint": "Vérifiez que l'application affiche le même code.",
        "waiting": "En attente de la validation sur votre téléphone…",
        "submit": "J'ai validé sur mon téléphone",
        "still_pending": "La connexion n'a pas encore été validée dans l'application France Identité.",
        "expired": "Le délai de validation de 5 minutes est dépassé\u00a0: un nouveau code vous est proposé.",
        "bad_credentials": "",
        "cancel": "Annuler et revenir à FranceConnect",
        "footer": "France Identité — simulateur pour les tests, données fictives.",
        # The phone, simulated: /__mock__/franceidentite
        "control": {
            "title": "Téléphone simulé — application France Identité",
            "intro": "Demandes de connexion en attente de validation dans l'application.",
            "empty": "Aucune demande de connexion en attente.",
            "code": "Code",
            "created_at": "Demandée à",
            "expires_at": "Expire à",
            "persona": "Identité",
            "approve": "Valider sur mon téléphone",
            "refuse": "Refuser",
            "approved": "Connexion validée dans l'application France Identité.",
            "refused": "Connexion refusée dans l'application France Identité.",
            "no_persona": "Aucune identité n'a de compte France Identité\u00a0: créez une persona d'abord.",
        },
    },
}

# Shared by the six provider sites.
PROVIDER_PAGES = {
    "home_text": "Cette page simule {name} pour les tests.",
    "home_hint": "On arrive ici depuis FranceConnect, en choisissant «\u00a0{name}\u00a0».",
    "required_notice": "Tous les champs sont obligatoires.",
    "form_errors": "Le formulaire contient des erreurs. Corrigez les champs signalés.",
    "locked": (
        "Après {attempts} tentatives infructueuses, la connexion avec cet identifiant est "
        "bloquée pendant {minutes} minutes."
    ),
    "error_title": "Une erreur est survenue",
    "error_code": "Code d'erreur\u00a0: {code}",
    "csrf_text": "Ce formulaire a expiré. Revenez à FranceConnect et recommencez votre connexion.",
    "simulator": "Simulateur",
}

# The simulator's dashboard, for people: /__mock__/ (a second tab while clicking through the mock).
DASHBOARD = {
    "title": "Tableau de bord du simulateur",
    "intro": "Comptes de test, messages envoyés, pannes, horloge et requêtes reçues\u00a0: à garder ouvert dans un second onglet.",
    "index_link": "Ouvrir le tableau de bord du simulateur",
    "nav": "Sections du tableau de bord",
    "refresh": "Actualiser",
    "auto_refresh": "Actualisation automatique (toutes les 3 s)",
    "unreachable": "Simulateur injoignable\u00a0: la page n'est plus à jour.",
    "utc": "UTC",
    # 1. Sites
    "sites_title": "Sites",
    "site_names": {"moncompte": "Mon Compte (caf.fr)", "franceconnect": "FranceConnect"},
    # 2. Personas
    "personas_title": "Personas",
    "personas_intro": "Identifiants et mots de passe de test, en clair.",
    "personas_empty": "Aucune persona\u00a0: créez-en avec POST /__mock__/personas, ou lancez le simulateur avec ses comptes de démonstration (make serve).",
    "moncompte": "Mon Compte",
    "nir": "Numéro de sécurité sociale",
    "provisional_id": "Identifiant provisoire",
    "password": "Mot de passe",
    "no_password": "aucun\u00a0: pas encore de compte en ligne",
    "providers": "Connexion avec FranceConnect",
    "no_provider": "Pas de compte chez\u00a0: {names}",
    "franceidentite_link": "Valider la connexion sur le téléphone simulé",
    "flag_fc_error": "Erreur FranceConnect\u00a0: {code}",
    "fc_errors": {
        "idp_500": "le fournisseur d'identité répond 500 à FranceConnect",
        "idp_503": "le fournisseur d'identité répond 503 à FranceConnect",
        "idp_timeout": "le fournisseur d'identité ne répond pas à temps",
        "missing_claim": "la date de naissance manque dans l'identité transmise",
        "consent_refused": "la personne refuse le partage de ses données",
        "no_gender": "le sexe manque dans l'identité transmise",
        "birthplace_not_insee": "le lieu de naissance n'est pas un code INSEE",
        "born_in_france_no_birthplace": "née ou né en France, sans lieu de naissance",
        "birthdate_month_00": "date de naissance au mois 00 (1977-00-03)",
        "birthdate_not_a_date": "date de naissance qui n'est pas une date (03/02/1977)",
        "empty_given_name": "prénom vide",
    },
    "flag_no_caf_record": "Inconnue de la Caf\u00a0: une connexion FranceConnect ne trouve aucun dossier",
    "flag_no_account": "Sans compte en ligne\u00a0: «\u00a0Première connexion\u00a0? Créer Mon Compte\u00a0»",
    "copy": "Copier",
    "copy_label": "Copier\u00a0: {what}, {name}",
    "copied": "Copié",
    "selected": "Sélectionné\u00a0: Ctrl+C",
    # 3. Outbox
    "outbox_title": "Derniers messages envoyés",
    "outbox_empty": "Aucun SMS ni mail envoyé pour le moment.",
    "outbox_all": "Tous les messages (téléphone et webmail)",
    "outbox_code": "Code",
    "sms": "SMS",
    "mail": "Mail",
    "to": "à",
    "bounced": "rejeté par la messagerie\u00a0: jamais reçu",
    # 4. Faults
    "faults_title": "Pannes simulées",
    "faults_empty": "Aucune panne active\u00a0: tout fonctionne.",
    "fault": "Panne n° {id}",
    "fault_everywhere": "tous les sites",
    "fault_every_route": "toutes les pages",
    "fault_everyone": "toutes les personas",
    "fault_every_client": "tous les services",
    "fault_hits": "déclenchée {hits} fois",
    "fault_times_left": "encore {times} fois",
    "fault_until_cleared": "jusqu'à suppression",
    "delete": "Supprimer",
    "delete_label": "Supprimer la panne n° {id}",
    "clear": "Tout effacer",
    "add_title": "Ajouter une panne",
    "add_hint": "Les champs laissés vides ne restreignent rien\u00a0: une panne sans site touche tous les sites.",
    "add": "Ajouter la panne",
    "all": "tous",
    "kinds": {
        "latency": "latency — lenteur",
        "status": "status — erreur HTTP",
        "timeout": "timeout — pas de réponse",
        "sms_down": "sms_down — SMS en panne",
        "sms_delay": "sms_delay — SMS en retard",
        "mail_bounce": "mail_bounce — mails rejetés",
        # FranceConnect's answers, broken for a client under test.
        "id_token_unknown_key": "id_token_unknown_key — clé inconnue",
        "id_token_alg_none": "id_token_alg_none — non signé",
        "id_token_wrong_iss": "id_token_wrong_iss — émetteur faux",
        "id_token_wrong_aud": "id_token_wrong_aud — audience fausse",
        "id_token_wrong_nonce": "id_token_wrong_nonce — nonce faux",
        "id_token_no_nonce": "id_token_no_nonce — sans nonce",
        "id_token_expired": "id_token_expired — expiré",
        "id_token_wrong_acr": "id_token_wrong_acr — acr faux",
        "id_token_no_at_hash": "id_token_no_at_hash — sans at_hash",
        "userinfo_other_key": "userinfo_other_key — clé inconnue",
        "userinfo_other_sub": "userinfo_other_sub — autre sub",
        "jwks_rotated": "jwks_rotated — clés renouvelées",
        # The network failing under a call, and answers of the wrong shape.
        "connection_reset": "connection_reset — connexion coupée",
        "connection_refused": "connection_refused — refusée",
        "connection_timed_out": "connection_timed_out — sans réponse",
        "offline": "offline — réseau injoignable",
        "empty_reply": "empty_reply — réponse vide",
        "malformed_body": "malformed_body — illisible",
        "truncated_body": "truncated_body — tronquée",
    },
    "fields": {
        "kind": "Type",
        "site": "Site",
        "route": "Page (chemin)",
        "method": "Méthode",
        "persona": "Persona",
        "times": "Nombre de fois",
        "ms": "Latence (ms)",
        "status": "Statut HTTP",
        "seconds": "Secondes",
        "client": "Service (client_id)",
    },
    "hints": {
        "route": "/connexion, ou un motif\u00a0: /api/v2/*",
        "times": "vide\u00a0: jusqu'à suppression (une réponse FranceConnect cassée\u00a0: une fois)",
        "ms": "200, ou une plage\u00a0: 200-800",
        "status": "400 à 599",
        "seconds": "timeout\u00a0: 1 à 60 (30 si vide)\u00a0; sms_delay\u00a0: retard du SMS",
    },
    "form_error": "La panne n'a pas été ajoutée\u00a0:",
    "errors": {
        "kind": "Type\u00a0: choisissez un des types proposés.",
        "site": "Site\u00a0: choisissez un des sites proposés.",
        "route": "Page\u00a0: un chemin qui commence par / (motifs permis\u00a0: /api/v2/*).",
        "method": "Méthode\u00a0: GET, POST, PUT, DELETE, PATCH ou HEAD.",
        "persona": "Persona\u00a0: choisissez une des personas proposées.",
        "client": "Service\u00a0: choisissez un des services inscrits auprès de FranceConnect.",
        "times": "Nombre de fois\u00a0: un nombre entier de 1 à 1000, ou vide.",
        "ms": "Latence\u00a0: un nombre de millisecondes de 0 à 30000, ou une plage comme 200-800.",
        "ms_order": "Latence\u00a0: une plage va de la plus petite à la plus grande valeur, comme 200-800.",
        "status": "Statut HTTP\u00a0: un nombre entier de 400 à 599.",
        "seconds_timeout": "Secondes\u00a0: un nombre entier de 1 à 60, ou vide (30 secondes).",
        "seconds_sms_delay": "Secondes\u00a0: le retard du SMS, un nombre entier de 1 à 86400 (heure du simulateur).",
        "not_applicable": "{field}\u00a0: ne s'applique pas au type {kind}. Videz ce champ.",
        "other": "Panne refusée\u00a0: {message}",
    },
    # Named scenarios
    "presets_title": "Scénarios prêts à l'emploi",
    "presets_intro": "Chacun ajoute ses pannes (ou sa persona) à celles déjà actives.",
    "activate": "Activer",
    "activate_label": "Activer le scénario {name}",
    "unknown_preset": "Aucun scénario nommé «\u00a0{name}\u00a0».",
    # 5. Clock
    "clock_title": "Horloge du simulateur",
    "clock_now": "Heure du simulateur",
    "clock_offset": "Avance sur l'heure réelle",
    "clock_real": "aucune\u00a0: à l'heure réelle",
    "clock_hint": "+15 min\u00a0: un code de vérification expire. +31 min\u00a0: une session expire.",
    "clock_advance": "Avancer l'horloge",
    "clock_custom": "Avancer de (par exemple 90s, 2h, 1h30m)",
    "clock_custom_submit": "Avancer",
    "clock_reset": "Revenir à l'heure réelle",
    "clock_error": "Durée\u00a0: un nombre de secondes ou une durée comme 15m, 90s, 1h30m (366 jours au plus, vers l'avant).",
    # 6. Journal
    "journal_title": "Journal des requêtes",
    "journal_intro": "Les 30 dernières requêtes reçues par les sites, la plus récente en premier.",
    "journal_empty": "Aucune requête reçue par les sites pour le moment.",
    "journal_json": "Journal complet (JSON)",
    "journal_static_hidden": "Fichiers statiques (CSS, scripts, icônes) masqués.",
    "journal_show_static": "Les afficher",
    "journal_static_shown": "Fichiers statiques (CSS, scripts, icônes) affichés.",
    "journal_hide_static": "Les masquer",
    "journal_columns": {
        "at": "Heure",
        "site": "Site",
        "method": "Méthode",
        "path": "Chemin",
        "status": "Statut",
        "duration": "Durée",
        "persona": "Persona",
        "fault": "Panne",
    },
    # After an action
    "done": {
        "fault_added": "Panne n° {n} ajoutée.",
        "fault_removed": "Panne n° {n} supprimée.",
        "faults_cleared": "Toutes les pannes sont effacées.",
        "clock_advanced": "Horloge avancée.",
        "clock_reset": "Horloge revenue à l'heure réelle.",
        "preset": "Scénario «\u00a0{n}\u00a0» activé.",
    },
    "unknown_fault": "Aucune panne active n° {id}\u00a0: elle a déjà été supprimée ou a fini de se déclencher.",
}

# The hands-on client page: /__mock__/client (an OpenID Connect client of the mock
# FranceConnect that shows what it sends and what comes back, as a debugger does).
CLIENT_PAGE = {
    "client_name": "Client de test du simulateur",
    "dashboard_link": "Client OpenID Connect de test\u00a0: essayer FranceConnect et lire ses réponses",
    "title": "Client OpenID Connect de test",
    "intro": (
        "Un service fictif qui se connecte au FranceConnect du simulateur\u00a0: choisissez les paramètres "
        "de la demande, connectez-vous, puis lisez l'id_token, userinfo et chaque appel HTTP."
    ),
    "back_to_dashboard": "Retour au tableau de bord",
    # The client
    "client_title": "Le client",
    "client_id": "client_id",
    "redirect_uri": "redirect_uri",
    "issuer": "Émetteur (FranceConnect)",
    "auth_method": "Authentification au jeton",
    "auth_method_value": "client_secret_post (secret masqué dans les appels)",
    "unregistered_host": (
        "Cette adresse ({redirect_uri}) n'est pas enregistrée pour ce client\u00a0: FranceConnect refusera "
        "la demande. Ouvrez cette page sur {page_url}."
    ),
    # The form
    "form_title": "Demande d'autorisation",
    "scope_legend": "Scopes (scope)",
    "scope_hint": "Les claims que chaque scope ouvre sont indiqués à côté.",
    "scope_opens": "donne\u00a0: {claims}",
    "extra_scope": "Autres scopes (séparés par des espaces)",
    "extra_scope_hint": "Envoyés en plus des cases cochées, même inconnus de FranceConnect.",
    "claims": "claims (JSON)",
    "claims_hint": 'Vide\u00a0: non envoyé. Exemple\u00a0: {"id_token":{"amr":{"essential":true}}}',
    "acr_values": "acr_values",
    "acr_values_hint": "FranceConnect n'accepte que eidas1. Vide\u00a0: non envoyé.",
    "prompt": "prompt",
    "prompt_none_sent": "(non envoyé)",
    "prompt_hint": "none\u00a0: sans aucun écran, erreur renvoyée au client si une connexion est nécessaire.",
    "idp_hint": "idp_hint (fournisseur d'identité)",
    "idp_hint_hint": "Vide\u00a0: non envoyé. Fournisseurs du simulateur\u00a0: {ids}.",
    "max_age": "max_age (secondes)",
    "max_age_hint": "Vide\u00a0: non envoyé. 0\u00a0: une nouvelle authentification chez le fournisseur.",
    "pkce": "PKCE (code_challenge S256)",
    "submit": "Se connecter avec FranceConnect",
    "send_anyway": "Envoyer quand même",
    "warnings_title": "Demande inhabituelle\u00a0: rien n'est envoyé tant que vous ne confirmez pas.",
    "errors_title": "La demande n'a pas été envoyée\u00a0:",
    "warnings": {
        "no_openid": "scope\u00a0: sans openid, FranceConnect refuse la demande.",
        "unknown_scope": "scope\u00a0: «\u00a0{scope}\u00a0» n'est pas un scope de FranceConnect.",
        "claims_not_json": (
            "claims\u00a0: ce n'est pas du JSON (ligne {line}, colonne {column}\u00a0: {problem})\u00a0; "
            "il sera envoyé tel quel."
        ),
        "claims_not_object": 'claims\u00a0: un objet JSON est attendu, avec "id_token" ou "userinfo".',
        "claims_unknown_member": 'claims\u00a0: «\u00a0{name}\u00a0» n\'est ni "id_token" ni "userinfo".',
        "no_acr": "acr_values\u00a0: FranceConnect l'exige (eidas1).",
        "other_acr": "acr_values\u00a0: «\u00a0{acr}\u00a0» n'est pas proposé par FranceConnect (eidas1 seulement).",
        "unknown_idp_hint": "idp_hint\u00a0: «\u00a0{idp}\u00a0» n'est pas un fournisseur du simulateur ({ids}).",
        "max_age_not_number": "max_age\u00a0: un nombre entier de secondes (0 ou plus) est attendu.",
        "no_pkce": "PKCE\u00a0: sans code_challenge, le code peut être échangé sans preuve.",
    },
    "errors": {
        "too_long": "{field}\u00a0: {max} caractères au plus.",
        "control_characters": "{field}\u00a0: pas de retour à la ligne ni de caractère de contrôle.",
        "prompt": "prompt\u00a0: choisissez une des valeurs proposées.",
    },
    # The result
    "result_title": "Résultat de la connexion",
    "signed_in": "Connexion réussie\u00a0: l'id_token et userinfo sont vérifiés.",
    "signed_in_with_failures": "Connexion terminée, mais {n} vérification(s) en échec\u00a0: voir ci-dessous.",
    "failed": "Connexion interrompue\u00a0: {reason}",
    "reasons": {
        "error": "FranceConnect a renvoyé l'erreur «\u00a0{error}\u00a0».",
        "no_code": "la réponse de FranceConnect ne contient ni code ni erreur.",
        "discovery": "le document de découverte de FranceConnect n'a pas pu être lu.",
        "token": "l'échange du code (/token) a échoué.",
        "no_id_token": "la réponse de /token ne contient pas d'id_token.",
        "userinfo": "l'appel à userinfo a échoué.",
    },
    "request_title": "Demande d'autorisation envoyée",
    "request_url": "Adresse",
    "response_title": "Réponse de FranceConnect (retour sur redirect_uri)",
    "parameter": "Paramètre",
    "value": "Valeur",
    "checks_title": "Vérifications",
    "check": "Vérification",
    "verdict": "Résultat",
    "detail": "Détail",
    "verdicts": {"pass": "OK", "fail": "ÉCHEC", "skip": "non vérifié", "info": "info"},
    "checks": {
        "state": "state renvoyé identique à celui envoyé",
        "iss_param": "iss de la réponse (RFC 9207)",
        "token": "Échange du code (/token)",
        "signature": "Signature de l'id_token (JWKS de FranceConnect)",
        "iss": "id_token\u00a0: iss = l'émetteur FranceConnect",
        "aud": "id_token\u00a0: aud = client_id",
        "exp": "id_token\u00a0: exp dans le futur (horloge du simulateur)",
        "iat": "id_token\u00a0: iat présent, pas dans le futur",
        "nonce": "id_token\u00a0: nonce identique à celui envoyé",
        "at_hash": "id_token\u00a0: at_hash = empreinte de l'access_token",
        "acr": "id_token\u00a0: acr parmi les acr_values demandés",
        "auth_time": "id_token\u00a0: auth_time dans la limite de max_age",
        "essential": "id_token\u00a0: claims essentiels demandés présents",
        "userinfo": "Appel à userinfo",
        "userinfo_signature": "Signature de userinfo (JWKS de FranceConnect)",
        "userinfo_iss": "userinfo\u00a0: iss = l'émetteur FranceConnect",
        "userinfo_aud": "userinfo\u00a0: aud = client_id",
        "userinfo_sub": "userinfo\u00a0: sub identique à celui de l'id_token",
    },
    # A check's detail, beside technical values (claims, algorithms, HTTP statuses) as they came.
    "details": {
        "absent": "absent",
        "missing": "manquants\u00a0: {names}",
        "no_access_token": "pas d'access_token",
        "no_acr_values": "acr {acr}\u00a0; aucun acr_values envoyé",
        "no_max_age": "aucun max_age envoyé",
        "auth_time_age": "authentifié il y a {age} s",
        "auth_time_max_age": "authentifié il y a {age} s, max_age {max_age}",
        "auth_time_required": "auth_time = {value} (obligatoire avec max_age)",
        "bad_value": "{name} = {value}",
        "time": "{name} {value}, maintenant {now} ({delta} s)",
        "algorithms_only": "alg {alg}\u00a0: {algorithms} seulement",
        "not_signed": "{content_type}\u00a0: pas un JWT signé",
        "no_sub": "pas de sub dans l'id_token",
        "not_an_object": "le contenu n'est pas un objet JSON",
    },
    "id_token_title": "id_token décodé",
    "userinfo_title": "userinfo décodé",
    "header": "En-tête",
    "claims_title": "Claims",
    "not_a_jwt": "Ce n'est pas un JWT lisible\u00a0: {problem}",
    "raw_title": "Jetons bruts",
    "token_answer": "Réponse de /token",
    "calls_title": "Appels HTTP du client",
    "calls_intro": "Faits par le serveur du simulateur, dans l'ordre. Le secret du client est masqué.",
    "call_params": "Paramètres envoyés",
    "call_response": "Réponse",
    "call_failed": "pas de réponse\u00a0: {problem}",
    "no_calls": "Aucun appel\u00a0: la connexion s'est arrêtée avant l'échange du code.",
    "logout": "Se déconnecter de FranceConnect",
    "logout_hint": "Déconnexion initiée par le client (end_session_endpoint, avec id_token_hint).",
    "start_again": "Recommencer",
    # Coming back
    "unknown_return_title": "Retour inattendu sur la page client",
    "unknown_return": (
        "Ce retour ne correspond à aucune demande envoyée depuis ce navigateur (state inconnu, déjà utilisé, "
        "ou cookie de la page absent)\u00a0: rien n'a été échangé."
    ),
    "received": "Paramètres reçus",
    "unknown_result": "Ce résultat n'existe plus ou n'a pas été obtenu dans ce navigateur.",
    "logged_out_title": "Déconnecté de FranceConnect",
    "logged_out": "FranceConnect est revenu sur post_logout_redirect_uri.",
    "logged_out_state": "state renvoyé identique à celui envoyé",
    "now": "Heure du simulateur\u00a0: {now} UTC",
}
