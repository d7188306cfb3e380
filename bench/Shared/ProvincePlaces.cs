/// <summary>
/// The province the PostgreSQL benchmarks generate (rates, the absence clock): 福建省 with 2 cities × 3 counties × 15
/// townships, as SQL that inserts the divisions; each benchmark adds its own schools (20 per township).
/// </summary>
internal static class ProvincePlaces
{
    public const string Divisions = """
        INSERT INTO "Divisions" ("Id","Code","Name","Level","Path") VALUES (gen_random_uuid(),'35','福建省',1,'35/');
        INSERT INTO "Divisions" ("Id","Code","Name","Level","Path")
          SELECT gen_random_uuid(), '350'||c, '市'||c, 2, '35/350'||c||'/' FROM generate_series(1,2) c;
        INSERT INTO "Divisions" ("Id","Code","Name","Level","Path")
          SELECT gen_random_uuid(), '350'||c||'2'||k, '县'||c||k, 3, '35/350'||c||'/350'||c||'2'||k||'/' FROM generate_series(1,2) c, generate_series(1,3) k;
        INSERT INTO "Divisions" ("Id","Code","Name","Level","Path")
          SELECT gen_random_uuid(), '350'||c||'2'||k||lpad(t::text,3,'0'), '乡'||c||k||t, 4, '35/350'||c||'/350'||c||'2'||k||'/350'||c||'2'||k||lpad(t::text,3,'0')||'/'
          FROM generate_series(1,2) c, generate_series(1,3) k, generate_series(1,15) t;
        """;
}
