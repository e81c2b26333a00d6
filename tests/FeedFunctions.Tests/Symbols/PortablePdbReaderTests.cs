using FeedFunctions.Packages;
using FeedFunctions.Symbols;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Symbols;

public sealed class PortablePdbReaderTests
{
    [Fact]
    public async Task Reads_the_id_and_the_spec_checksum_of_a_real_pdb()
    {
        var (_, symbols) = await PackedPackages.WithSymbolsAsync();
        var pdb = SymbolPackages.Entry(symbols, ".pdb");

        var identity = await ReadAsync(pdb);

        Assert.Equal(TestPdb.Key(pdb), identity.Key);
        Assert.Equal(TestPdb.Checksum(pdb), "SHA256:" + identity.Checksum.ToUpperInvariant());
    }

    /// <summary>Whatever a corrupted PDB holds, the answer is its identity or a reason, never another exception.</summary>
    [Fact]
    public async Task Corrupted_pdbs_give_an_identity_or_an_InvalidPackageException()
    {
        var valid = TestPdb.Create(Guid.NewGuid(), "fuzz");
        var random = new Random(21);
        var refused = 0;
        for (var i = 0; i < 2000; i++)
        {
            var mutated = valid.ToArray();
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            if (random.Next(4) == 0)
            {
                mutated = mutated[..random.Next(mutated.Length)];
            }

            try
            {
                await ReadAsync(mutated);
            }
            catch (InvalidPackageException)
            {
                refused++;
            }
        }

        Assert.True(refused > 0);
    }

    private static async Task<PdbIdentity> ReadAsync(byte[] pdb)
    {
        var path = Path.GetTempFileName();
        await using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.DeleteOnClose);
        await file.WriteAsync(pdb);
        return await PortablePdbReader.ReadAsync(file, "lib/net10.0/Fuzz.pdb", CancellationToken.None);
    }
}
