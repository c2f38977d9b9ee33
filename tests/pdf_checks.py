"""What makes a PDF readable by everyone, checked with pypdf (veraPDF, the reference
validator for PDF/UA, is a Java application this machine does not have): a structure
tree, /MarkInfo /Marked true, /Lang, the title shown in the window, every font
embedded, XMP metadata with title and language, and links that are annotations."""

import io

from pypdf import PdfReader


def fonts_of(reader: PdfReader) -> dict[str, bool]:
    """Every font any page uses (also inside form XObjects): embedded or not."""
    found: dict[str, bool] = {}

    def visit(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descendant = font["/DescendantFonts"][0].get_object()
                descriptor = descendant.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            found[str(font.get("/BaseFont"))] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                visit(xobject["/Resources"])

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


def link_targets(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [
        str(annotation.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if "/URI" in annotation.get_object().get("/A", {})
    ]


def assert_accessible_pdf(pdf: bytes, *, language: str, title: str) -> PdfReader:
    """Assert the PDF/UA-1 essentials; returns the reader for further checks."""
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]

    assert "/StructTreeRoot" in root
    assert root["/StructTreeRoot"].get_object().get("/K") is not None
    assert root["/MarkInfo"]["/Marked"].value is True
    assert str(root["/Lang"]) == language
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    fonts = fonts_of(reader)
    assert fonts
    assert all(fonts.values()), f"fonts not embedded: {fonts}"
    assert not any("Helvetica" in name for name in fonts)
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title["x-default"] == title
    assert xmp.dc_language == [language]
    assert "pdfuaid" in xmp.rdf_root.toxml()
    return reader
