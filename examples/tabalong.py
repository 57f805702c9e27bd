"""Load, validate and score Kabupaten Tabalong's 2023 evaluation (the bundled example)."""

from pathlib import Path

from kotacerdas import assessment, evidence, scoring, validation

HERE = Path(__file__).parent

tabalong = assessment.read_one(HERE / "tabalong-2023.json")
report = validation.validate(tabalong)
print(f"{tabalong.region} {tabalong.year}: valid={report.valid}")
for finding in report:
    print(" ", finding.severity, finding.path, finding.message("en"))
for finding in evidence.verify(tabalong, HERE):
    print(" ", finding.severity, finding.path, finding.message("en"))

result = scoring.score(tabalong)
print("index", result.index.value, "bounds", result.index.bounds)
if result.consistency is not None:
    print(result.consistency.message("en"))
for code, share in result.contributions().items():
    print(f"  {code:<5} {result[code].value}  contributes {share}")
