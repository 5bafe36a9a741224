"""The registering bodies the registry knows."""

from __future__ import annotations

from sqlalchemy.orm import Session

from registry.errors import NotFound
from registry.models import Agency

AGENCIES: dict[str, tuple[str, str]] = {
    "BR-ANCINE": ("BR", "Agência Nacional do Cinema"),
    "UY-ACAU": ("UY", "Agencia del Cine y el Audiovisual del Uruguay"),
    "AR-INCAA": ("AR", "Instituto Nacional de Cine y Artes Audiovisuales"),
    "PE-DAFO": ("PE", "Dirección del Audiovisual, la Fonografía y los Nuevos Medios"),
    "CR-CCPC": ("CR", "Centro Costarricense de Producción Cinematográfica"),
    "EC-IFCI": ("EC", "Instituto de Fomento a la Creatividad y la Innovación"),
    "CL-CAIA": ("CL", "Consejo del Arte y la Industria Audiovisual"),
    "CO-PROIMAGENES": ("CO", "Proimágenes Colombia"),
    "MX-IMCINE": ("MX", "Instituto Mexicano de Cinematografía"),
    "ZZ-AVAILS": ("ZZ", "Avails and title metadata received from distributors"),
    "ZZ-EXCHANGE": ("ZZ", "Records received in the registry's exchange format"),
}


def ensure_agency(session: Session, code: str) -> Agency:
    """Return the agency row, creating it from the known table when missing."""
    agency = session.get(Agency, code)
    if agency is not None:
        return agency
    if code not in AGENCIES:
        known = ", ".join(sorted(AGENCIES))
        raise NotFound(f"unknown agency {code!r}; known agencies: {known}")
    country, name = AGENCIES[code]
    agency = Agency(code=code, country=country, name=name)
    session.add(agency)
    session.flush()
    return agency
