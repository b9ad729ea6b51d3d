"""creatorlens: influencer-marketing analytics from platform exports to ranked DuckDB marts.

The pipeline's stages keep the design's folders at the top of the repository (flows/,
transforms/, schemas/, sql/), and the code imports them as `creatorlens.flows`,
`creatorlens.transforms`, `creatorlens.schemas`. An installed wheel holds them inside this
package (pyproject.toml maps them there), so nothing with a generic name lands at the top of
site-packages; in a checkout this package's search path also covers the repository's top
(docs/architecture.md, "Installed or checked out").
"""

from pathlib import Path

HOME = Path(__file__).resolve().parent
"""Where the package's own files are: SQL, reference data, the prefect.yaml template."""
if not (HOME / "sql").is_dir():  # a checkout: the stages' folders are beside this package
    HOME = HOME.parent
    __path__.append(str(HOME))
