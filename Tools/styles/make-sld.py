#!/usr/bin/env python3
"""Generate OGC SLD 1.0 files (for QGIS and GeoServer) from planatlas' simplestyle layer styles.

Reads GeoData/layers.json (for each layer's geometry type and style name) and Styles/<style>.json,
writes Styles/sld/<layer-id>.sld. One SLD rule per `by_status` override (filtered on the feature's
`status` property) and a final ElseFilter rule with the base style; every rule labels features with
the style's `label` property.

    python3 Tools/styles/make-sld.py            # write the files
    python3 Tools/styles/make-sld.py --check    # exit 1 if any committed SLD is out of date
"""
import json
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
MARKER_PX = {"small": 6, "medium": 10, "large": 14}


def css(name, value):
    return f'<CssParameter name="{name}">{escape(str(value))}</CssParameter>'


def stroke(style):
    parts = [css("stroke", style["stroke"]), css("stroke-width", style["stroke-width"]),
             css("stroke-opacity", style["stroke-opacity"])]
    if style.get("stroke-dasharray"):
        parts.append(css("stroke-dasharray", style["stroke-dasharray"]))
    return "<Stroke>" + "".join(parts) + "</Stroke>"


def symbolizers(geometry_type, style):
    if geometry_type == "Polygon":
        fill = "<Fill>" + css("fill", style["fill"]) + css("fill-opacity", style["fill-opacity"]) + "</Fill>"
        return [f"<PolygonSymbolizer>{fill}{stroke(style)}</PolygonSymbolizer>"]
    if geometry_type == "LineString":
        return [f"<LineSymbolizer>{stroke(style)}</LineSymbolizer>"]
    if geometry_type == "Point":
        size = MARKER_PX.get(style["marker-size"], MARKER_PX["medium"])
        mark = ("<Mark><WellKnownName>circle</WellKnownName>"
                f"<Fill>{css('fill', style['marker-color'])}</Fill>"
                f"<Stroke>{css('stroke', '#FFFFFF')}{css('stroke-width', 1)}</Stroke></Mark>")
        return [f"<PointSymbolizer><Graphic>{mark}<Size>{size}</Size></Graphic></PointSymbolizer>"]
    raise ValueError(f"unsupported geometry_type {geometry_type!r}")


def label(style):
    if not style.get("label"):
        return []
    return [("<TextSymbolizer><Label><ogc:PropertyName>" + escape(style["label"]) + "</ogc:PropertyName></Label>"
             "<Font>" + css("font-family", "Noto Sans CJK SC") + css("font-size", 11) + "</Font>"
             "<Halo><Radius>1.5</Radius><Fill>" + css("fill", "#FFFFFF") + "</Fill></Halo>"
             "<Fill>" + css("fill", "#222222") + "</Fill></TextSymbolizer>")]


def rule(name, filter_xml, geometry_type, style):
    body = "".join(symbolizers(geometry_type, style) + label(style))
    return f"<Rule><Name>{escape(name)}</Name>{filter_xml}{body}</Rule>"


def sld(layer, style):
    base = {k: v for k, v in style.items() if k != "by_status"}
    rules = []
    for status, override in style.get("by_status", {}).items():
        merged = {**base, **override}
        flt = ("<ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName>"
               f"<ogc:Literal>{escape(status)}</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>")
        rules.append(rule(status, flt, layer["geometry_type"], merged))
    rules.append(rule("default", "<ElseFilter/>", layer["geometry_type"], base))
    title = escape(f'{layer["title"]["en"]} / {layer["title"]["zh"]}')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld" '
            'xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd">\n'
            f'<NamedLayer><Name>{escape(layer["id"])}</Name>\n'
            f'<UserStyle><Name>{escape(layer["style"])}</Name><Title>{title}</Title>\n'
            '<FeatureTypeStyle>\n' + "\n".join(rules) + '\n</FeatureTypeStyle>\n'
            '</UserStyle></NamedLayer>\n</StyledLayerDescriptor>\n')


def main(argv):
    check = "--check" in argv
    catalogue = json.loads((ROOT / "GeoData" / "layers.json").read_text(encoding="utf-8"))
    out_dir = ROOT / "Styles" / "sld"
    out_dir.mkdir(parents=True, exist_ok=True)
    stale = []
    for layer in catalogue["layers"]:
        style = json.loads((ROOT / "Styles" / f'{layer["style"]}.json').read_text(encoding="utf-8"))
        text = sld(layer, style)
        target = out_dir / f'{layer["id"]}.sld'
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(target.name)
        else:
            target.write_text(text, encoding="utf-8")
    if check and stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    print(("checked " if check else "wrote ") + f'{len(catalogue["layers"])} SLD files')
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
