package io.meridian.app;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dependency line of README.md ("## Modules": "Dependencies point one way: ...") is the truth about the modules:
 * every module's pom declares exactly the modules the line gives it (and its tests exactly those in brackets), the
 * classes of its main sources use exactly those modules' packages, and the root pom lists the modules so that each
 * comes after everything it depends on. Reads the repository from the working directory up.
 */
class ModuleDependenciesTest {
    /** The model's test jar, as the README line names it (a test dependency of type test-jar on meridian-model). */
    private static final String MODEL_TEST_JAR = "model:test-jar";
    private static final Pattern NAME = Pattern.compile("`([a-z]+)`");
    private static final Pattern CLAUSE = Pattern.compile("(?s)(.+?) -> (.+?)(?: \\(tests: (.+)\\))?");
    private static final Pattern MODULE_PACKAGE = Pattern.compile("\\bio\\.meridian\\.([a-z]+)\\.");

    /** One module's dependencies on the others: what its main code may use, and what only its tests use. */
    private record Dependencies(Set<String> main, Set<String> tests) {
        Dependencies() {
            this(new TreeSet<>(), new TreeSet<>());
        }
    }

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.exists(dir.resolve("README.md")) && Files.exists(pom)
                    && read(pom).contains("<artifactId>meridian-parent</artifactId>")) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (README.md and the parent pom) above "
                + Path.of("").toAbsolutePath());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Document xml(Path file) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException("cannot parse " + file, e);
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE && nodes.item(i).getNodeName().equals(name)) {
                found.add((Element) nodes.item(i));
            }
        }
        return found;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String text(Element parent, String name, String otherwise) {
        Element e = child(parent, name);
        return e == null ? otherwise : e.getTextContent().trim();
    }

    /** The modules in the root pom's order. */
    private static List<String> modules(Path root) {
        return children(child(xml(root.resolve("pom.xml")).getDocumentElement(), "modules"), "module").stream()
                .map(e -> e.getTextContent().trim()).toList();
    }

    /** A module's dependencies on the other modules, from the {@code <dependencies>} of its pom. */
    private static Dependencies fromPom(Path root, String module) {
        Dependencies deps = new Dependencies();
        Element project = xml(root.resolve(module).resolve("pom.xml")).getDocumentElement();
        for (Element d : children(child(project, "dependencies"), "dependency")) {
            String artifact = text(d, "artifactId", "");
            if (!text(d, "groupId", "").equals("io.meridian") || !artifact.startsWith("meridian-")) {
                continue;
            }
            String name = artifact.substring("meridian-".length());
            boolean testJar = text(d, "type", "jar").equals("test-jar");
            if (text(d, "scope", "compile").equals("test")) {
                deps.tests().add(testJar ? name + ":test-jar" : name);
            } else {
                assertFalse(testJar, module + ": a test jar outside the test scope");
                deps.main().add(name);
            }
        }
        return deps;
    }

    /** The README's line: each module's dependencies as it gives them. */
    private static Map<String, Dependencies> fromReadme(Path root, List<String> modules) {
        String readme = read(root.resolve("README.md"));
        int start = readme.indexOf("Dependencies point one way: ");
        assertTrue(start >= 0, "README.md has no line 'Dependencies point one way: ...'");
        String paragraph = readme.substring(start, readme.indexOf("\n\n", start)).replace('\n', ' ');
        int colon = paragraph.indexOf("disagree): ");
        assertTrue(colon >= 0, "the line names its test: '... disagree): '");
        String clauses = paragraph.substring(colon + "disagree): ".length());
        clauses = clauses.substring(0, clauses.indexOf(". "));
        Map<String, Dependencies> line = new LinkedHashMap<>();
        for (String clause : clauses.split("; ")) {
            Matcher m = CLAUSE.matcher(clause.trim());
            assertTrue(m.matches(), "not 'A, B -> C, D (tests: E)': " + clause);
            Set<String> main = new TreeSet<>();
            Set<String> tests = new TreeSet<>();
            List<String> dependants = names(m.group(1));
            if (m.group(2).equals("all the others")) {
                main.addAll(modules);
                main.removeAll(dependants);
            } else {
                main.addAll(names(m.group(2)));
            }
            if (m.group(3) != null) {
                tests.addAll(names(m.group(3)));
                if (m.group(3).contains("the model's test jar")) {
                    tests.add(MODEL_TEST_JAR);
                }
            }
            for (String module : dependants) {
                assertTrue(modules.contains(module), "README names a module the root pom does not: " + module);
                assertTrue(line.put(module, new Dependencies(main, tests)) == null, module + " twice in the README line");
            }
        }
        return line;
    }

    private static List<String> names(String text) {
        List<String> found = new ArrayList<>();
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** The modules whose packages a module's main sources use (imports and qualified names; comments aside). */
    private static Set<String> usedByCode(Path root, String module, List<String> modules) {
        Set<String> used = new TreeSet<>();
        Path sources = root.resolve(module).resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return used;   // a module of resources only (the terminal's web files)
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = read(file).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
                Matcher m = MODULE_PACKAGE.matcher(code);
                while (m.find()) {
                    if (modules.contains(m.group(1)) && !m.group(1).equals(module)) {
                        used.add(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return used;
    }

    @Test
    void theReadmeLineIsWhatThePomsDeclare() {
        Path root = root();
        List<String> modules = modules(root);
        assertFalse(modules.isEmpty());
        Map<String, Dependencies> line = fromReadme(root, modules);
        List<String> wrong = new ArrayList<>();
        for (String module : modules) {
            Dependencies pom = fromPom(root, module);
            Dependencies readme = line.getOrDefault(module, new Dependencies());
            if (!pom.equals(readme)) {
                wrong.add(module + ": the pom has " + pom + ", README.md says " + readme);
            }
        }
        if (!wrong.isEmpty()) {
            fail("README.md's dependency line (## Modules) and the poms disagree; change whichever is wrong:\n"
                    + String.join("\n", wrong));
        }
    }

    @Test
    void everyModuleUsesExactlyTheModulesItsPomDeclares() {
        Path root = root();
        List<String> modules = modules(root);
        List<String> wrong = new ArrayList<>();
        for (String module : modules) {
            Set<String> declared = new TreeSet<>(fromPom(root, module).main());
            // A module of resources only (the terminal's web files) is used by being on the classpath, not by code.
            declared.removeIf(d -> !Files.isDirectory(root.resolve(d).resolve("src/main/java")));
            Set<String> used = usedByCode(root, module, modules);
            if (!declared.equals(used)) {
                wrong.add(module + ": main code uses " + used + ", the pom declares " + declared);
            }
        }
        if (!wrong.isEmpty()) {
            fail("declare in a module's pom (and in README.md's line) every module its main code uses, and no other:\n"
                    + String.join("\n", wrong));
        }
    }

    @Test
    void theRootPomListsEveryModuleAfterWhatItDependsOn() {
        Path root = root();
        List<String> modules = modules(root);
        for (int i = 0; i < modules.size(); i++) {
            Dependencies deps = fromPom(root, modules.get(i));
            Set<String> all = new TreeSet<>(deps.main());
            deps.tests().forEach(t -> all.add(t.replace(":test-jar", "")));
            for (String dependency : all) {
                int at = modules.indexOf(dependency);
                assertTrue(at >= 0 && at < i, modules.get(i) + " depends on " + dependency
                        + ", which the root pom does not list before it: dependencies point one way, down the list");
            }
        }
    }

    @Test
    void theLineIsReadAsWritten() {
        Path root = root();
        List<String> modules = modules(root);
        Map<String, Dependencies> line = fromReadme(root, modules);
        assertEquals(Set.of("model"), line.get("auth").main());
        assertEquals(Set.of(MODEL_TEST_JAR), line.get("matching").tests());
        assertEquals(Set.of(MODEL_TEST_JAR, "simulator"), line.get("journal").tests());
        Dependencies app = line.get("app");
        assertNotNull(app);
        assertEquals(modules.size() - 1, app.main().size(), "app -> all the others");
    }
}
