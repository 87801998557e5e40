package media

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/availkit/availkit/internal/creative"
)

// VerifyMP3 inspects every MP3 creative of the catalog with
// internal/creative and checks its real duration against its vastDuration
// (and its catalog duration) and its loudness against the −24 LUFS target.
// A creative not marked deliberatelyBad must pass; one marked
// deliberatelyBad must fail, or the QA panel would have nothing to catch.
// The emulator calls this at start-up and refuses to serve on error.
func VerifyMP3(c *Catalog) error { return verifyMP3(FS, c) }

// VerifyMP3FS is VerifyMP3 for a media tree other than the embedded one
// (e.g. `availkit serve --media dir`): it reads fsys/catalog.json and the
// MP3 files it names from fsys.
func VerifyMP3FS(fsys fs.FS) error {
	c, err := LoadFS(fsys)
	if err != nil {
		return err
	}
	return verifyMP3(fsys, c)
}

func verifyMP3(fsys fs.FS, c *Catalog) error {
	var errs []error
	for _, a := range c.Kind(KindMP3) {
		b, err := fs.ReadFile(fsys, a.File)
		if err != nil {
			errs = append(errs, fmt.Errorf("media: mp3 %q: %w", a.ID, err))
			continue
		}
		rep, err := creative.Inspect(b)
		if err != nil {
			errs = append(errs, fmt.Errorf("media: mp3 %q: %w", a.ID, err))
			continue
		}
		if d := rep.Duration - a.Duration; d > 0.001 || d < -0.001 {
			errs = append(errs, fmt.Errorf("media: mp3 %q: decodes to %.3f s, catalog says %.3f s", a.ID, rep.Duration, a.Duration))
		}
		vs := creative.Check(rep, a.VASTDuration, 0)
		switch ok := creative.Passed(vs); {
		case !ok && !a.DeliberatelyBad:
			for _, v := range vs {
				if !v.OK {
					errs = append(errs, fmt.Errorf("media: mp3 %q: %s: %s", a.ID, v.Check, v.Message))
				}
			}
		case ok && a.DeliberatelyBad:
			errs = append(errs, fmt.Errorf("media: mp3 %q is marked deliberatelyBad but passes inspection", a.ID))
		}
	}
	return errors.Join(errs...)
}
