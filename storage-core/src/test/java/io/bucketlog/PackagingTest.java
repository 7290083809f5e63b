package io.bucketlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The licence files and the POM metadata that users and their tools read. */
class PackagingTest {
    private static final Path ROOT = Path.of("..");

    private static Document pom(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    /** The text of the first direct child element of {@code e} with this name. */
    private static String child(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c.getTextContent().trim();
            }
        }
        return null;
    }

    private static List<String> managedBucketlogArtifacts(Document pom) {
        List<String> out = new ArrayList<>();
        NodeList deps = pom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            if (d.getParentNode().getParentNode().getNodeName().equals("dependencyManagement")
                    && "io.bucketlog".equals(child(d, "groupId"))) {
                out.add(child(d, "artifactId"));
            }
        }
        return out;
    }

    private static String license(Document pom) {
        NodeList l = pom.getDocumentElement().getElementsByTagName("license");
        return l.getLength() == 1 ? child((Element) l.item(0), "name") : null;
    }

    @Test
    void theBomManagesEveryPublishedArtifactAtTheBuildsVersionAndEveryPomIsApache2() throws Exception {
        Document parent = pom(ROOT.resolve("pom.xml"));
        Document bom = pom(ROOT.resolve("bom/pom.xml"));
        assertThat(child(bom.getDocumentElement(), "version"))
                .isEqualTo(child(parent.getDocumentElement(), "version"));
        assertThat(managedBucketlogArtifacts(bom)).isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(managedBucketlogArtifacts(parent));
        assertThat(license(parent)).isEqualTo("Apache-2.0");
        assertThat(license(bom)).isEqualTo("Apache-2.0");
        NodeList modules = parent.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            Element project = pom(ROOT.resolve(modules.item(i).getTextContent().trim()).resolve("pom.xml"))
                    .getDocumentElement();
            NodeList parents = project.getElementsByTagName("parent");
            boolean inherits = parents.getLength() == 1
                    && "bucketlog-parent".equals(child((Element) parents.item(0), "artifactId"));
            assertThat(inherits || license(project.getOwnerDocument()) != null)
                    .as("licence of module %s", modules.item(i).getTextContent()).isTrue();
        }
    }

    @Test
    void licenseAndNoticeNameTheRelocatedLibraries() throws Exception {
        assertThat(Files.readString(ROOT.resolve("LICENSE"), StandardCharsets.UTF_8))
                .contains("Apache License").contains("Version 2.0, January 2004");
        assertThat(Files.readString(ROOT.resolve("NOTICE"), StandardCharsets.UTF_8))
                .contains("LMAX Disruptor").contains("io.bucketlog.internal.disruptor")
                .doesNotContain("lz4-java");
    }
}
