using System.Diagnostics;
using System.Text;
using FeedFunctions.Packages;
using FeedFunctions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FeedFunctions.Tests.Reliability;

/// <summary>
/// Mutational fuzzing of the package reader: byte flips, truncations, insertions and deletions, splices of two
/// valid packages, and mutations of the nuspec text re-zipped so the XML and metadata rules are reached too.
/// The only acceptable outcomes are a result or <see cref="InvalidPackageException"/> (which the push turns into a
/// 400); anything else would be a 500, and an iteration that does not finish in time is a hang. The seed is fixed
/// and each iteration derives its own generator from it, so a failure names the iteration that reproduces it.
/// </summary>
public sealed class PackageReaderFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261121;
    private static readonly TimeSpan IterationTimeout = TimeSpan.FromSeconds(5);

    private static readonly string[] Tokens =
    [
        "<!DOCTYPE package [<!ENTITY e \"x\">]>", "&e;", "&#0;", "&#xD800;", "$id$", "<![CDATA[", "]]>", "<dependency id=\"\" version=\"[\" />",
        "<group targetFramework=\"net\u0001\">", "</metadata>", "<metadata>", "<license type=\"file\">../../x</license>", "<icon>/etc/passwd</icon>",
        "\uFEFF", "\u0000", "<?xml version=\"1.0\" encoding=\"utf-32\"?>", "<version>99999999999999999999.0</version>", new string('9', 300),
    ];

    [Fact]
    public async Task Mutated_packages_are_read_or_refused_with_InvalidPackageException_never_anything_else()
    {
        var report = new ScenarioReport("fuzz: package reader");
        var seeds = SeedPackages();
        var budget = Soak.Pick(TimeSpan.FromSeconds(5), Soak.Duration);
        var maxIterations = Soak.Enabled ? int.MaxValue : 2000;
        var clock = Stopwatch.StartNew();
        int iteration = 0, accepted = 0, refused = 0;
        var byMutation = new SortedDictionary<string, int>();
        for (; iteration < maxIterations && clock.Elapsed < budget; iteration++)
        {
            var random = new Random(unchecked(Seed * 7919 + iteration));
            var (mutation, input) = Mutate(random, seeds);
            byMutation[mutation] = byMutation.GetValueOrDefault(mutation) + 1;
            var read = Task.Run(() => PackageReader.ReadAsync(new MemoryStream(input, writable: false)));
            try
            {
                await read.WaitAsync(IterationTimeout);
                accepted++;
            }
            catch (InvalidPackageException ex)
            {
                refused++;
                if (ex.Message.Length > InvalidPackageException.MaxMessageLength || ex.Message.Any(c => c is < ' ' or > '~'))
                {
                    report.Violation($"iteration {iteration} ({mutation}): reason phrase not single-line printable ASCII: {ex.Message}");
                }
            }
            catch (TimeoutException)
            {
                report.Violation($"iteration {iteration} ({mutation}): no result within {IterationTimeout.TotalSeconds} s (hang); input saved to {Save(iteration, input)}");
                break;
            }
            catch (Exception ex)
            {
                report.Violation($"iteration {iteration} ({mutation}): {ex.GetType().Name}: {ex.Message}; input saved to {Save(iteration, input)}");
            }
        }

        report.Request(iteration);
        report.Failure(refused);
        report.Notes.Add($"seed={Seed} iterations={iteration} in {clock.Elapsed.TotalSeconds:F1} s: read={accepted} refused={refused}");
        report.Notes.Add("mutations: " + string.Join(", ", byMutation.Select(m => $"{m.Key}={m.Value}")));
        Assert.True(iteration >= Math.Min(maxIterations, 200), $"only {iteration} iterations ran");
        report.AssertClean(output);
    }

    private static byte[][] SeedPackages() =>
    [
        TestPackage.Create("Contoso.Fuzz", "1.0.0").ToBytes(),
        TestPackage.Create("Contoso.Fuzz.Deps", "2.1.0-beta.1")
            .WithDependency("net8.0", "Other.Lib", "[1.0.0, 2.0.0)")
            .WithDependency("netstandard2.0", "Third.Lib", "1.2.3", include: "Compile")
            .WithMetadata("tags", "fuzz test")
            .WithMetadata("projectUrl", "https://contoso.example/")
            .WithMetadataXml("<repository type=\"git\" url=\"https://contoso.example/repo.git\" commit=\"abc\" />")
            .ToBytes(),
        TestPackage.Create("Contoso.Fuzz.Files", "3.0.0")
            .WithMetadataXml("<license type=\"file\">LICENSE.txt</license>")
            .WithMetadataXml("<readme>docs/README.md</readme>")
            .WithMetadataXml("<packageTypes><packageType name=\"Dependency\" /></packageTypes>")
            .WithFile("LICENSE.txt", "MIT")
            .WithFile("docs/README.md", "# Fuzz")
            .WithFile("lib/net8.0/Contoso.Fuzz.dll", new byte[2048])
            .ToBytes(),
    ];

    private static (string Mutation, byte[] Input) Mutate(Random random, byte[][] seeds)
    {
        var a = seeds[random.Next(seeds.Length)];
        var b = seeds[random.Next(seeds.Length)];
        switch (random.Next(7))
        {
            case 0:
                {
                    var copy = a.ToArray();
                    for (var i = random.Next(1, 17); i > 0; i--)
                    {
                        copy[random.Next(copy.Length)] ^= (byte)random.Next(1, 256);
                    }

                    return ("byte flips", copy);
                }

            case 1:
                return ("truncation", a[..random.Next(a.Length)]);
            case 2:
                {
                    // Head of one package, tail of another: local headers and directory records that disagree.
                    var cut = random.Next(a.Length);
                    var from = random.Next(b.Length);
                    return ("splice", [.. a[..cut], .. b[from..]]);
                }

            case 3:
                {
                    // Overwrite a range with bytes of another package (often a whole header or directory record).
                    var copy = a.ToArray();
                    var length = random.Next(1, Math.Min(200, b.Length));
                    var from = random.Next(b.Length - length);
                    var to = random.Next(copy.Length - Math.Min(length, copy.Length - 1));
                    Array.Copy(b, from, copy, to, Math.Min(length, copy.Length - to));
                    return ("chunk transplant", copy);
                }

            case 4:
                {
                    var at = random.Next(a.Length);
                    var length = random.Next(1, 64);
                    return random.Next(2) == 0
                        ? ("insert bytes", [.. a[..at], .. RandomBytes(random, length), .. a[at..]])
                        : ("delete bytes", [.. a[..at], .. a[Math.Min(a.Length, at + length)..]]);
                }

            default:
                return ("nuspec text", MutateNuspec(random));
        }
    }

    /// <summary>Mutates the nuspec text and zips it properly, so the mutation reaches the XML parser and the rules.</summary>
    private static byte[] MutateNuspec(Random random)
    {
        var package = TestPackage.Create("Contoso.Fuzz.Xml", "1.0.0")
            .WithDependency("net8.0", "Other.Lib", "[1.0.0, )")
            .WithMetadata("tags", "a b c")
            .WithMetadataXml("<license type=\"expression\">MIT</license>");
        var text = Encoding.UTF8.GetBytes(package.GenerateNuspec()).ToList();
        for (var i = random.Next(1, 5); i > 0; i--)
        {
            var at = random.Next(text.Count);
            switch (random.Next(4))
            {
                case 0:
                    text[at] ^= (byte)random.Next(1, 256);
                    break;
                case 1:
                    text.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                    break;
                case 2:
                    text.RemoveRange(at, Math.Min(random.Next(1, 40), text.Count - at));
                    break;
                default:
                    var length = Math.Min(random.Next(1, 200), text.Count - at);
                    text.InsertRange(random.Next(text.Count), text.GetRange(at, length));
                    break;
            }
        }

        return package.WithRawNuspec(text.ToArray()).ToBytes();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Save(int iteration, byte[] input)
    {
        var path = Path.Combine(Path.GetTempPath(), $"feed-fuzz-{Seed}-{iteration}.nupkg");
        File.WriteAllBytes(path, input);
        return path;
    }
}
