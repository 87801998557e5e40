package tracking

// The rich parts of an ad: companions, OM verifications, VAST extensions
// and non-linear (overlay) ads, decoded by the same field tables as the
// rest of the response (decode.go).

func (s *decoder) companion(c *CompanionAd) error {
	return s.Object(func(key []byte) error {
		var t target
		var err error
		switch string(key) {
		case "attributes":
			return s.companionAttributes(&c.Attributes)
		case "staticResource":
			t = str(&c.StaticResource)
		case "iFrameResource":
			t = str(&c.IFrameResource)
		case "htmlResource":
			t = str(&c.HTMLResource)
		case "adParameters":
			t = str(&c.AdParameters)
		case "altText":
			t = str(&c.AltText)
		case "sequence":
			t = text(&c.Sequence)
		case "companionClickThrough":
			t = str(&c.CompanionClickThrough)
		case "companionClickTracking":
			t = str(&c.CompanionClickTracking)
		case "trackingEvents":
			c.TrackingEvents, err = s.trackingEvents(c.TrackingEvents)
			return err
		case "required":
			t = str(&c.Attributes.Required)
		}
		return s.decode(&t)
	})
}

func (s *decoder) companionAttributes(a *CompanionAttributes) error {
	return s.Object(func(key []byte) error {
		var t target
		switch string(key) {
		case "id":
			t = text(&a.ID)
		case "width":
			t = text(&a.Width)
		case "height":
			t = text(&a.Height)
		case "assetWidth":
			t = text(&a.AssetWidth)
		case "assetHeight":
			t = text(&a.AssetHeight)
		case "expandedWidth":
			t = text(&a.ExpandedWidth)
		case "expandedHeight":
			t = text(&a.ExpandedHeight)
		case "apiFramework":
			t = str(&a.APIFramework)
		case "adSlotId", "adSlotID":
			t = text(&a.AdSlotID)
		case "pxratio", "pxRatio":
			t = text(&a.PxRatio)
		case "renderingMode":
			t = str(&a.RenderingMode)
		case "required":
			t = str(&a.Required)
		}
		return s.decode(&t)
	})
}

func (s *decoder) verification(v *AdVerification) error {
	return s.Object(func(key []byte) error {
		var t target
		var err error
		switch string(key) {
		case "vendor":
			t = str(&v.Vendor)
		case "javaScriptResource":
			v.JavaScriptResource, err = s.resources(v.JavaScriptResource)
			return err
		case "executableResource":
			v.ExecutableResource, err = s.resources(v.ExecutableResource)
			return err
		case "trackingEvents":
			v.TrackingEvents, err = s.trackingEvents(v.TrackingEvents)
			return err
		case "verificationParameters":
			t = str(&v.VerificationParameters)
		}
		return s.decode(&t)
	})
}

func (s *decoder) resources(dst []VerificationResource) ([]VerificationResource, error) {
	err := s.Array(func(int) error {
		dst = append(dst, VerificationResource{})
		r := &dst[len(dst)-1]
		return s.Object(func(key []byte) error {
			var t target
			switch string(key) {
			case "apiFramework":
				t = str(&r.APIFramework)
			case "browserOptional":
				t = boolean(&r.BrowserOptional)
			case "type":
				t = str(&r.Type)
			case "language":
				t = str(&r.Language)
			case "uri":
				t = str(&r.URI)
			}
			return s.decode(&t)
		})
	})
	return dst, err
}

func (s *decoder) extensions(dst []Extension) ([]Extension, error) {
	err := s.Array(func(int) error {
		var e Extension
		err := s.Object(func(key []byte) error {
			var t target
			switch string(key) {
			case "type":
				t = str(&e.Type)
			case "content":
				t = str(&e.Content)
			}
			return s.decode(&t)
		})
		if e.Type != "" || e.Content != "" {
			dst = append(dst, e)
		}
		return err
	})
	return dst, err
}

func (s *decoder) nonLinearAds(n *NonLinearAds) error {
	return s.Object(func(key []byte) error {
		var err error
		switch string(key) {
		case "nonLinearAdList":
			return s.Array(func(int) error {
				n.NonLinearAdList = append(n.NonLinearAdList, NonLinearAd{})
				return s.nonLinearAd(&n.NonLinearAdList[len(n.NonLinearAdList)-1])
			})
		case "trackingEvents":
			n.TrackingEvents, err = s.trackingEvents(n.TrackingEvents)
		case "extensions":
			n.Extensions, err = s.extensions(n.Extensions)
		default:
			err = s.Skip()
		}
		return err
	})
}

func (s *decoder) nonLinearAd(a *NonLinearAd) error {
	var dur, minDur timing
	err := s.Object(func(key []byte) error {
		var t target
		switch string(key) {
		case "adId":
			t = text(&a.AdID)
		case "adSystem":
			t = str(&a.AdSystem)
		case "adTitle":
			t = str(&a.AdTitle)
		case "adParameters":
			t = str(&a.AdParameters)
		case "apiFramework":
			t = str(&a.APIFramework)
		case "clickThrough":
			t = str(&a.ClickThrough)
		case "clickTracking":
			t = str(&a.ClickTracking)
		case "clickTrackingId":
			t = text(&a.ClickTrackingID)
		case "creativeAdId":
			t = text(&a.CreativeAdID)
		case "creativeId":
			t = text(&a.CreativeID)
		case "creativeSequence":
			t = text(&a.CreativeSequence)
		case "duration":
			t = looseISO(&dur)
		case "durationInSeconds":
			t = secs(&dur)
		case "minSuggestedDuration":
			t = looseISO(&minDur)
		case "minSuggestedDurationInSeconds":
			t = secs(&minDur)
		case "width":
			t = integer(&a.Width)
		case "height":
			t = integer(&a.Height)
		case "expandedWidth":
			t = integer(&a.ExpandedWidth)
		case "expandedHeight":
			t = integer(&a.ExpandedHeight)
		case "htmlResource":
			t = str(&a.HTMLResource)
		case "iFrameResource":
			t = str(&a.IFrameResource)
		case "staticResource":
			t = str(&a.StaticResource)
		case "staticResourceCreativeType":
			t = str(&a.StaticResourceCreativeType)
		case "maintainAspectRatio":
			t = boolean(&a.MaintainAspectRatio)
		case "scalable":
			t = boolean(&a.Scalable)
		}
		return s.decode(&t)
	})
	a.Duration, a.MinSuggestedDuration = dur.value(), minDur.value()
	return err
}
