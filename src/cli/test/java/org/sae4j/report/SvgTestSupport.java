package org.sae4j.report;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Parses rendered SVG and picks elements out of the groups the renderers name. */
final class SvgTestSupport {

    private SvgTestSupport() {
    }

    /** Parses the document, failing the test when it is not well-formed XML. */
    static Document parse(String svg) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("SVG is not well-formed XML: " + e.getMessage() + "\n" + svg, e);
        }
    }

    /** Elements named {@code tag} anywhere inside groups with {@code class="role"}. */
    static List<Element> inGroup(Document document, String role, String tag) {
        List<Element> found = new ArrayList<>();
        NodeList groups = document.getElementsByTagName("g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element group = (Element) groups.item(i);
            if (role.equals(group.getAttribute("class"))) {
                NodeList children = group.getElementsByTagName(tag);
                for (int j = 0; j < children.getLength(); j++) {
                    found.add((Element) children.item(j));
                }
            }
        }
        return found;
    }

    /** The text contents of the {@code <text>} elements inside groups with {@code class="role"}. */
    static List<String> texts(Document document, String role) {
        return inGroup(document, role, "text").stream().map(Element::getTextContent).toList();
    }

    /** The points of a polyline as [x0, y0, x1, y1, ...]. */
    static double[] points(Element polyline) {
        String[] pairs = polyline.getAttribute("points").trim().split(" ");
        double[] coordinates = new double[2 * pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            String[] xy = pairs[i].split(",");
            coordinates[2 * i] = Double.parseDouble(xy[0]);
            coordinates[2 * i + 1] = Double.parseDouble(xy[1]);
        }
        return coordinates;
    }
}
