package org.sae4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.kernel.Kernels;

/**
 * The runtime's module boundary: what {@code module-info.java} exports and requires, and that code outside the
 * module, the README's example first, compiles against the exported API alone while a reach into the kernel
 * providers does not compile.
 */
final class ModuleDescriptorTest {

    private static final Set<String> EXPORTED = Set.of("org.sae4j.kernel", "org.sae4j.tensor", "org.sae4j.io",
            "org.sae4j.solve", "org.sae4j.optim", "org.sae4j.sae", "org.sae4j.sae.refine", "org.sae4j.sae.eval");

    @TempDir
    Path dir;

    @Test
    void shouldExportOnlyTheApiPackagesToEveryone() throws URISyntaxException {
        ModuleDescriptor runtime = runtimeDescriptor();
        Set<String> exported = new TreeSet<>();
        for (ModuleDescriptor.Exports exports : runtime.exports()) {
            assertFalse(exports.isQualified(), exports + " is a qualified export");
            exported.add(exports.source());
        }
        assertEquals(new TreeSet<>(EXPORTED), exported);
        Set<String> hidden = new TreeSet<>(runtime.packages());
        hidden.removeAll(EXPORTED);
        assertEquals(Set.of("org.sae4j.kernel.internal", "org.sae4j.kernel.scalar", "org.sae4j.kernel.simd",
                "org.sae4j.kernel.spi"), hidden, "packages kept inside the module");
    }

    @Test
    void shouldKeepTheVectorApiOptionalAndRequireOnlyJacksonBesideTheJdk() throws URISyntaxException {
        ModuleDescriptor runtime = runtimeDescriptor();
        Set<String> required = new TreeSet<>();
        for (ModuleDescriptor.Requires requires : runtime.requires()) {
            required.add(requires.name());
            if (requires.name().equals("jdk.incubator.vector")) {
                assertTrue(requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC),
                        "the scalar path must run without the incubator module: " + requires);
            }
        }
        assertEquals(new TreeSet<>(Set.of("java.base", "java.logging", "java.management", "jdk.management",
                "jdk.incubator.vector", "com.fasterxml.jackson.databind")), required);
    }

    @Test
    void shouldCompileTheReadmeExampleAgainstTheExportedApiAlone() throws IOException, URISyntaxException {
        String readme = Files.readString(root().resolve("README.md"));
        Matcher block = Pattern.compile("```java\n(.*?class ReadmeExample.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "README.md has no java block with class ReadmeExample");
        List<String> errors = compile("package example;\n\n" + block.group(1));
        assertEquals(List.of(), errors, "the README example must compile against the exported API");
    }

    @Test
    void shouldRefuseToCompileCodeThatReachesIntoTheKernelProviders() throws IOException, URISyntaxException {
        List<String> errors = compile("""
                package example;

                final class ReadmeExample {
                    static Object provider() {
                        return new org.sae4j.kernel.scalar.ScalarKernels();
                    }
                }
                """);
        assertFalse(errors.isEmpty(), "a class of org.sae4j.kernel.scalar compiled from outside the module");
        assertTrue(errors.getFirst().contains("is not visible") || errors.getFirst().contains("does not export"),
                errors.getFirst());
    }

    /** Compiles {@code source} as class example.ReadmeExample of a module requiring org.sae4j; returns the errors. */
    private List<String> compile(String source) throws IOException, URISyntaxException {
        Path sources = Files.createDirectories(dir.resolve("src/example"));
        Files.writeString(dir.resolve("src/module-info.java"), "module readme.example { requires org.sae4j; }\n");
        Path file = Files.writeString(sources.resolve("ReadmeExample.java"), source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests run on a JDK");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            List<String> options = List.of("--module-path", modulePath(), "-d", classes.toString(), "-Xlint:all");
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(
                    dir.resolve("src/module-info.java"), file);
            javac.getTask(null, files, diagnostics, options, null, units).call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add("line " + d.getLineNumber() + ": " + d.getMessage(null));
            }
        }
        return errors;
    }

    /** The runtime's classes and the Jackson jars it requires, nothing else. */
    private static String modulePath() throws URISyntaxException {
        List<String> path = new ArrayList<>();
        path.add(runtimeClasses().toString());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().startsWith("jackson-")) {
                path.add(entry);
            }
        }
        return path.stream().collect(Collectors.joining(File.pathSeparator));
    }

    private static ModuleDescriptor runtimeDescriptor() throws URISyntaxException {
        return ModuleFinder.of(runtimeClasses()).find("org.sae4j")
                .orElseThrow(() -> new AssertionError("no module org.sae4j in the runtime's classes"))
                .descriptor();
    }

    private static Path runtimeClasses() throws URISyntaxException {
        return Path.of(Kernels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Path root() {
        String root = System.getProperty("sae4j.root");
        assertNotNull(root, "sae4j.root is set by the build (surefire systemPropertyVariables)");
        return Path.of(root);
    }
}
