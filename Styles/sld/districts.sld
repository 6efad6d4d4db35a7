<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd">
<NamedLayer><Name>districts</Name>
<UserStyle><Name>districts</Name><Title>Districts and counties / 行政区</Title>
<FeatureTypeStyle>
<Rule><Name>default</Name><ElseFilter/><PolygonSymbolizer><Fill><CssParameter name="fill">#DDDDDD</CssParameter><CssParameter name="fill-opacity">0.0</CssParameter></Fill><Stroke><CssParameter name="stroke">#777777</CssParameter><CssParameter name="stroke-width">1</CssParameter><CssParameter name="stroke-opacity">0.9</CssParameter></Stroke></PolygonSymbolizer><TextSymbolizer><Label><ogc:PropertyName>name</ogc:PropertyName></Label><Font><CssParameter name="font-family">Noto Sans CJK SC</CssParameter><CssParameter name="font-size">11</CssParameter></Font><Halo><Radius>1.5</Radius><Fill><CssParameter name="fill">#FFFFFF</CssParameter></Fill></Halo><Fill><CssParameter name="fill">#222222</CssParameter></Fill></TextSymbolizer></Rule>
</FeatureTypeStyle>
</UserStyle></NamedLayer>
</StyledLayerDescriptor>
