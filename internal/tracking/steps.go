package tracking

// A Decoder decodes one tracking response a part at a time, so that a
// large reply (20 avails of 1,000 events: 2 MB) need not hold its caller,
// the page's main thread, for all of it at once. It reads the response as
// Decode does, which is a Decoder run in one step; the parts are the avails
// of the avails and nonLinearAvails lists.
type Decoder struct {
	s     decoder
	r     *Response
	state uint8
	list  *[]Avail // the list being read in stateList
	n     int      // the index of its next avail
	err   error
}

// Decoder states: where Step resumes.
const (
	stateBegin  = iota
	stateKey    // before a member of the response
	stateList   // inside an avails list, before element n
	stateMember // after a member's value
	stateDone
)

// NewDecoder returns a Decoder of data, which it keeps until the last
// Step: the caller must not change it before then.
func NewDecoder(data []byte) *Decoder {
	d := &Decoder{r: new(Response)}
	d.s.MaxDepth = maxDepth
	d.s.Reset(data)
	return d
}

// Step decodes until it has read budget more bytes of input (whole avails:
// at least one) or the end, and reports whether the response is complete.
// An error is final: every later Step returns it again.
func (d *Decoder) Step(budget int) (done bool, err error) {
	s := &d.s
	start := s.Offset()
	for d.err == nil {
		more := false
		switch d.state {
		case stateBegin:
			if s.Peek() != '{' {
				err = s.Expected("object")
				break
			}
			more, err = s.Open('{')
			d.state = stateKey
		case stateKey:
			var key []byte
			if key, err = s.Key(); err != nil {
				break
			}
			d.state = stateMember
			switch string(key) {
			case "avails", "nonLinearAvails":
				d.list = &d.r.Avails
				if key[0] == 'n' {
					d.list = &d.r.NonLinearAvails
				}
				// A repeated key starts its list over, as it always did.
				*d.list, d.n = (*d.list)[:0], 0
				if more, err = s.Open('['); more {
					d.state = stateList
				}
			default:
				err = s.member(d.r, key)
			}
			more = true
		case stateList:
			if s.Offset()-start >= budget && s.Offset() > start {
				return false, nil
			}
			s.Elem(d.n)
			*d.list = append(*d.list, Avail{})
			if err = s.avail(&(*d.list)[d.n]); err != nil {
				break
			}
			d.n++
			if more, err = s.Next(']'); !more {
				d.state = stateMember
			}
			more = true
		case stateMember:
			more, err = s.Next('}')
			d.state = stateKey
		case stateDone:
			if err = s.End(); err == nil {
				return true, nil
			}
		}
		if err != nil {
			d.err = asError(err)
		} else if !more {
			d.state = stateDone
		}
	}
	return false, d.err
}

// Response returns the decoded response once Step reported it complete.
func (d *Decoder) Response() *Response {
	if d.state != stateDone || d.err != nil {
		return nil
	}
	return d.r
}

// member decodes one member of the response other than its avails lists.
func (s *decoder) member(r *Response, key []byte) error {
	var err error
	switch string(key) {
	case "nextToken":
		r.NextToken, err = s.Str()
	case "dashAvailabilityStartTime":
		r.DashAvailabilityStartTime, err = s.Str()
	case "hlsAnchorMediaSequenceNumber":
		r.HLSAnchorMediaSequence, r.HasHLSAnchor, err = s.integer()
	default:
		err = s.Skip()
	}
	return err
}
