"""``internkontroll init``: a commented starter plan and a small example export to begin from.

The plan shows each kind of thing once (two risks with their handling, a control on an export, a
manual control with a checklist) and validates and runs as written. Nothing that already exists
is ever overwritten: if any of the files is there, none is written.
"""

from __future__ import annotations

import os
from pathlib import Path

PLAN = '''\
# Internkontrollplan: en startpunkt. Ändra texterna, lägg till risker och kontroller.
# Kontrollera planen:  internkontroll validate plan.toml
# Planens dokument:    internkontroll report plan.toml --table plan --format docx --output plan.docx
# Kör kontrollerna:    internkontroll run plan.toml --out resultat
# Datum i kalendern:   internkontroll due plan.toml --ics kontroller.ics

[plan]
title = "Internkontrollplan 2025"
organisation = "Vård- och omsorgsnämnden"
year = 2025
period = { start = 2025-01-01, end = 2025-12-31 }

# Riskanalysen: sannolikhet och konsekvens 1-4; riskvärdet är produkten.
# handling: kontroll, atgard, accepteras eller bevakas; motivation säger varför.
[[risk]]
id = "R1"
title = "Beslut verkställs inte i tid."
description = """Beslut som inte verkställs inom tre månader ska rapporteras till IVO och kan \\
leda till särskild avgift; den enskilde får inte det stöd hen har rätt till."""
likelihood = 3
impact = 4
handling = "kontroll"
motivation = "Högt riskvärde; följs upp med statistik ur verksamhetssystemet."
source = "egen riskanalys"
owner = "Avdelningschef myndighet"

[[risk]]
id = "R2"
title = "Delegationsbeslut anmäls inte till nämnden."
description = "Beslut som fattas på delegation men inte anmäls kan inte följas upp av nämnden."
likelihood = 2
impact = 3
handling = "kontroll"
motivation = "Kommungemensam risk; kontrolleras med stickprov och checklista."
source = "kommungemensam"
owner = "Nämndsekreterare"

# Exporten från verksamhetssystemet: fält = rubrik i filen.
[datasets.beslut]
path = "data/beslut.csv"
[datasets.beslut.columns]
decision_id = "Beslut-ID"
law = "Lag"
service = "Insats"
decided = "Beslutsdatum"
executed = "Verkställighetsdatum"

# En kontroll på data: check anger kontrolltypen (internkontroll plugins listar dem).
[[control]]
id = "K1"
risk = "R1"
title = "Verkställighetstid"
description = "Antal dagar från beslut till verkställighet, SoL och LSS."
method = "Statistik från verksamhetssystemet"
owner = "1:e socialsekreterare"
frequency = "kvartalsvis"    # löpande, månadsvis, kvartalsvis, tertialvis, halvårsvis, årligen
report_at = ["delår", "helår"]
check = "verkstallighetstid"
dataset = "beslut"
[control.params]
group_by = "law"
groups = ["SoL", "LSS"]
[control.criteria]           # utan kriterier visas siffrorna och ansvarig bedömer
metric = ["SoL.mean_days", "LSS.mean_days"]
better = "lower"
utan_anmarkning = 60
forsumbar_anmarkning = 90
unit = "dagar"

# En manuell kontroll: ingen check. Den är "ej bedömd" tills någon bedömer den i
# resultat/bedomning.toml, eller fyller i checklistan:
#   internkontroll checklist plan.toml --control K2 --out granskning/K2.xlsx
# och sedan anger worksheet = "granskning/K2.xlsx" här.
[[control]]
id = "K2"
risk = "R2"
title = "Anmälan av delegationsbeslut"
description = "Stickprov på att delegationsbeslut anmäls till nämnden."
method = "Stickprov i diariet"
owner = "Nämndsekreterare"
frequency = "halvårsvis"
report_at = ["helår"]
items = [
    "Delegationsbesluten under perioden finns förtecknade i delegationslistan.",
    "Delegationslistan har anmälts till nämnden.",
    "Besluten är fattade av den som har delegation enligt delegationsordningen.",
]
'''

EXPORT = """\
Beslut-ID;Lag;Insats;Beslutsdatum;Verkställighetsdatum
B0001;SoL;Korttidsboende;2025-01-21;2025-02-10
B0002;SoL;Kontaktperson;2025-02-03;2025-02-15
B0003;LSS;Ledsagarservice;2025-02-16;2025-03-23
B0004;SoL;Korttidsboende;2025-03-01;2025-05-10
B0005;SoL;Kontaktperson;2025-03-14;2025-03-19
B0006;LSS;Korttidsvistelse;2025-03-27;2025-04-01
B0007;SoL;Korttidsboende;2025-04-09;
B0008;SoL;Kontaktperson;2025-04-22;2025-08-10
B0009;LSS;Ledsagarservice;2025-05-05;2025-06-22
B0010;SoL;Korttidsboende;2025-05-18;2025-05-23
B0011;SoL;Kontaktperson;2025-05-31;2025-06-20
B0012;LSS;Korttidsvistelse;2025-06-13;2025-07-31
B0013;SoL;Korttidsboende;2025-06-26;2025-07-01
B0014;SoL;Kontaktperson;2025-07-09;2025-08-26
B0015;LSS;Ledsagarservice;2025-07-22;2025-08-03
B0016;SoL;Korttidsboende;2025-08-04;2025-08-09
B0017;SoL;Kontaktperson;2025-08-17;2025-08-22
B0018;LSS;Korttidsvistelse;2025-08-30;2025-10-04
B0019;SoL;Korttidsboende;2025-09-12;
B0020;SoL;Kontaktperson;2025-09-25;2025-10-30
B0021;LSS;Ledsagarservice;2025-10-08;2025-10-13
B0022;SoL;Korttidsboende;2025-10-21;2025-11-02
B0023;SoL;Kontaktperson;2025-11-03;2025-11-08
B0024;LSS;Korttidsvistelse;2025-11-16;2025-12-19
"""

FILES = {"plan.toml": PLAN, "data/beslut.csv": EXPORT}


def write_starter(folder: Path) -> list[Path]:
    """Write the starter files into ``folder``; ``FileExistsError`` if any already exists."""
    targets = {folder / name: text for name, text in FILES.items()}
    present = [str(path) for path in targets if path.exists()]
    if present:
        raise FileExistsError(
            f"{', '.join(present)} finns redan och skrivs inte över; välj en ny mapp"
        )
    written: list[Path] = []
    for path, text in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL  # never over a file made in the meantime
        with os.fdopen(os.open(path, flags, 0o666), "w", encoding="utf-8") as handle:
            handle.write(text)
        written.append(path)
    return written
