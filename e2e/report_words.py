"""Every French word the reports say of their own: headings, statuses, the groups
scenarios are filed under, and how a browser action or check is told as a step.

The mock's own texts live in mock_server/texts.py and the help page's steps in
fixtures/guide.py; this is the harness's voice, in one place.
"""

from __future__ import annotations

NBSP = "\u00a0"

STATUS = {"passed": "réussie", "failed": "échouée"}

HEADINGS = {
    "steps": "Étapes",
    "journal": "Journal du mock pendant ce test",
    "failed_step": f"Étape en échec{NBSP}:",
    "failed": f"Échec{NBSP}:",
    "replay": f"Rejouer ce scénario avec les mêmes données{NBSP}:",
    "trace": f"Trace Playwright de la tentative {{number}}{NBSP}:",
    "trace_open": f"l'ouvrir (depuis le dossier du projet){NBSP}:",
    "pictures": ("Plus bas, l'étape en échec photographiée au moment de l'échec, l'élément en cause "
                 "entouré en rouge ; à droite, la capture de Playwright à la fin de la tentative tracée."),
    "full_log": "Erreur complète, instantané de la page et sorties",
    "attempt": " — tentative {number}",
    "traced_attempt": " — tentative {number} (tracée)",
    "retry_steps": "Étapes de la tentative {number} (tracée)",
    "requests": "{count} requêtes",
    "static_hidden": "fichiers statiques masqués",
}

JOURNAL_COLUMNS = ("heure (mock)", "site", "méthode", "chemin", "statut", "ms", "personne", "panne")

# The pytest-html table's columns.
COLUMNS = {"result": "Résultat", "group": "Rubrique", "title": "Scénario", "duration": "Durée", "links": "Liens"}

# A failure outside any step: what the report calls the moment it happened.
AFTER_LAST_STEP = "Vérification après la dernière étape"
# A test that failed, then passed when run again (--reruns N): its badge, and the
# report's filter that shows those tests alone.
FLAKY = "instable (flaky)"
FLAKY_FILTER = "N'afficher que les {count} scénarios instables (échec puis réussite en les rejouant)"
# A test stopped by its time limit (e2e/plugin/timeouts.py), under the failed step's name.
TIMEOUT = f"Arrêté au bout de {{seconds}}{NBSP}s, la limite de temps d'un test ({{option}})."
# A test that recorded no step (a harness test run outside the browser).
NO_STEP = "Aucune étape enregistrée"

# A page's picture compared with its baseline (e2e/plugin/visual.py).
VISUAL = {
    "heading": "Différences d'apparence",
    "gallery": "Pages dont l'apparence a changé ({total})",
    "left_out": "{count} autres comparaisons en échec : voir la ligne de leur scénario.",
    "differ": "{ratio} des pixels diffèrent (toléré : {allowed} ; écart de couleur toléré : {channel}/255)",
    "missing": "Pas encore d'image de référence : celle-ci vient d'être écrite ({baseline}) ; la vérifier puis la committer.",
    "step": "Je compare la page « {page} » ({device}) à son image de référence",
    "pictures": {"expected": "Attendu (expected)", "actual": "Obtenu (actual)", "diff": "Différence (diff)"},
}

# Where scenarios are filed in the reports, after the help page's own sections
# (fixtures/guide.py): by the suite's marker, in this order.
SUITES = {
    "login": "Connexion",
    "bad_nir": "Numéro de sécurité sociale erroné",
    "remember_me": "Se souvenir de moi",
    "lockout": "Blocage après des échecs",
    "signup": "Première connexion",
    "help": "Pages d'aide",
    "reset": "Mot de passe oublié",
    "franceconnect": "FranceConnect",
    "logout": "Déconnexion",
    "simulation": "Pannes simulées et tableau de bord",
    "security": "Sécurité du simulateur",
    "a11y": "Accessibilité",
    "mobile": "Sur un téléphone",
    "visual": "Apparence des pages",
}
OTHER_GROUPS = {
    "simulation": "Simulation",
    "a11y": "Accessibilité",
    "mobile": "Mobile",
    "harness": "Le harnais de test",
    "fast": "Tests rapides du simulateur (sans navigateur)",
}

# How a browser action is told: "Je clique sur le bouton « Se connecter »".
ACTIONS = {
    "click": "Je clique sur {target}",
    "dblclick": "Je double-clique sur {target}",
    "tap": "Je touche {target}",
    "fill": "Je saisis {value} dans {target}",
    "fill_empty": "Je vide {target}",
    "clear": "Je vide {target}",
    "press": "J'appuie sur {key} dans {target}",
    "press_sequentially": "Je tape {value} dans {target}",
    "type": "Je tape {value} dans {target}",
    "check": "Je coche {target}",
    "uncheck": "Je décoche {target}",
    "select_option": "Je choisis {value} dans {target}",
    "set_input_files": "Je joins un fichier à {target}",
    "hover": "Je survole {target}",
    "focus": "Je place le focus sur {target}",
    "goto": "J'ouvre {address}",
    "go_back": "Je reviens à la page précédente",
    "go_forward": "J'avance à la page suivante",
    "reload": "Je recharge la page",
    "set_content": "J'affiche une page d'essai",
    "keyboard_press": "J'appuie sur {key}",
    "keyboard_type": "Je tape {value}",
    "keyboard_insert_text": "Je tape {value}",
}

KEYS = {"Enter": "Entrée", "Space": "Espace", " ": "Espace", "Escape": "Échap", "Tab": "Tab",
        "Shift+Tab": "Maj+Tab", "Backspace": "Retour arrière", "ArrowDown": "Flèche bas",
        "ArrowUp": "Flèche haut", "ArrowLeft": "Flèche gauche", "ArrowRight": "Flèche droite"}

# How a check is told: "Je vérifie que " + subject + predicate.
CHECK = "Je vérifie que {subject} {predicate}"
PAGE_SUBJECT = "la page"
RESPONSE_SUBJECT = "la réponse"
# (affirmative, negative); {value} is the expected value, quoted.
PREDICATES = {
    "to_be_visible": ("est visible", "n'est pas visible"),
    "to_be_hidden": ("est masqué", "n'est pas masqué"),
    "to_be_attached": ("est présent dans la page", "n'est pas présent dans la page"),
    "to_be_checked": ("est coché", "n'est pas coché"),
    "to_be_disabled": ("est désactivé", "n'est pas désactivé"),
    "to_be_enabled": ("est activé", "n'est pas activé"),
    "to_be_editable": ("est modifiable", "n'est pas modifiable"),
    "to_be_empty": ("est vide", "n'est pas vide"),
    "to_be_focused": ("a le focus", "n'a pas le focus"),
    "to_be_in_viewport": ("est dans l'écran", "n'est pas dans l'écran"),
    "to_contain_text": ("contient {value}", "ne contient pas {value}"),
    "to_have_text": ("a pour texte {value}", "n'a pas pour texte {value}"),
    "to_have_value": ("a pour valeur {value}", "n'a pas pour valeur {value}"),
    "to_have_values": ("a pour valeurs {value}", "n'a pas pour valeurs {value}"),
    "to_have_count": ("compte {value} élément(s)", "ne compte pas {value} élément(s)"),
    "to_have_attribute": ("a l'attribut {value}", "n'a pas l'attribut {value}"),
    "to_have_accessible_name": ("a pour nom accessible {value}", "n'a pas pour nom accessible {value}"),
    "to_have_accessible_description": ("a pour description {value}", "n'a pas pour description {value}"),
    "to_have_accessible_error_message": ("a pour message d'erreur {value}", "n'a pas pour message d'erreur {value}"),
    "to_have_class": ("a la classe {value}", "n'a pas la classe {value}"),
    "to_contain_class": ("a la classe {value}", "n'a pas la classe {value}"),
    "to_have_css": ("a le style {value}", "n'a pas le style {value}"),
    "to_have_id": ("a pour identifiant {value}", "n'a pas pour identifiant {value}"),
    "to_have_role": ("a le rôle {value}", "n'a pas le rôle {value}"),
    "to_have_js_property": ("a la propriété {value}", "n'a pas la propriété {value}"),
    "to_match_aria_snapshot": ("correspond à l'instantané attendu", "ne correspond pas à l'instantané attendu"),
    "to_have_url": ("a pour adresse {value}", "n'a pas pour adresse {value}"),
    "to_have_title": ("a pour titre {value}", "n'a pas pour titre {value}"),
    "to_be_ok": ("est un succès (2xx)", "n'est pas un succès (2xx)"),
}

# What a located element is called, by its ARIA role.
ROLES = {
    "button": "le bouton", "link": "le lien", "checkbox": "la case", "radio": "le bouton radio",
    "heading": "le titre", "textbox": "le champ", "searchbox": "le champ de recherche",
    "combobox": "la liste", "listbox": "la liste", "option": "l'option", "list": "la liste",
    "listitem": "l'élément de liste", "alert": "le message d'alerte", "status": "le message",
    "region": "la zone", "navigation": "le menu", "dialog": "la fenêtre", "img": "l'image",
    "tab": "l'onglet", "table": "le tableau", "row": "la ligne", "cell": "la cellule",
    "paragraph": "le paragraphe", "main": "le contenu principal", "banner": "l'en-tête",
    "contentinfo": "le pied de page", "group": "le groupe", "form": "le formulaire",
    "spinbutton": "le champ numérique", "article": "l'article", "term": "le terme",
    "definition": "la définition", "menuitem": "l'entrée de menu",
}
ELEMENT = "l'élément {what}"
FIELD = "le champ {name}"
TEXT = "le texte {name}"
IMAGE = "l'image {name}"
CONTAINING = "{target} contenant {text}"
INSIDE = "{target} dans {container}"
NTH = {0: "{target} (le premier)", -1: "{target} (le dernier)"}
NTH_OTHER = "{target} (n° {number})"
