"""The steps of a release, in the order of design.md's data flow; redactor.engine runs them.

- `hidden`: read what the page shows, and let hidden text only raise levels (and withhold its portion);
- `decide`: a portion and the policy's rules -> a Decision (pure);
- `detect`: the released texts and the Presidio findings in them (only released text is read);
- `redactor.review`: a reviewer's overrides applied to decisions and findings (pure);
- `compose`: decisions and findings -> the Release (blocks, text with offsets, banner, disposition);
- `confidence`, `fingerprint`, `layout`: OCR confidences, the keyed source fingerprint, the PDF layout.
"""
